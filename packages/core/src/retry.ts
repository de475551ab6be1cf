import type { Clock, Random } from './clock.js';
import { invalidOption } from './errors.js';
import {
  checkDuration,
  checkFunction,
  checkInteger,
  checkNumber,
  checkObject,
  type FieldContext,
  type PolicyField,
} from './options.js';

/**
 * How a delay is randomised, so a fleet of replicas does not retry in lock-step.
 * - `'none'`: exactly the exponential delay.
 * - `'full'`: uniform in [0, delay] (AWS "full jitter").
 * - `'equal'`: uniform in [delay / 2, delay].
 * - `'decorrelated'`: uniform in [initialDelayMs, 3 × previous delay], capped at `maxDelayMs` (AWS).
 * - `{ proportional: f }`: uniform in [delay × (1 − f), delay × (1 + f)] (gRPC connection backoff uses 0.2).
 * - `{ additiveMs: n }`: delay + uniform in [0, n] (the spec's `min(base·factorⁿ, max) + uniform(0, 1 s)`).
 */
export type Jitter =
  | 'none'
  | 'full'
  | 'equal'
  | 'decorrelated'
  | { proportional: number }
  | { additiveMs: number };

/** A retry policy. Every field is optional; see each default. */
export interface RetryOptions {
  /** Attempts in all, the first included; `Infinity` for no limit. Defaults to `Infinity` (the elapsed-time budget bounds it). */
  maxAttempts?: number;
  /** No attempt starts after this many milliseconds since the first one. Defaults to 60000 (the default start-up deadline). */
  maxElapsedMs?: number;
  /** Delay before the second attempt, in milliseconds. Defaults to 150. */
  initialDelayMs?: number;
  /** Growth factor of the delay per attempt. Defaults to 1.1 (a slow ramp; see `defaultRetryPolicy`). */
  multiplier?: number;
  /** Cap of the exponential delay, in milliseconds, before jitter. Defaults to 1000. */
  maxDelayMs?: number;
  /** Randomisation of each delay. Defaults to `{ proportional: 0.3 }`. */
  jitter?: Jitter;
  /** `false` stops at once (a bad password will not get better). Defaults to "retry unless the error says `retryable: false`". */
  retryable?: (error: unknown) => boolean;
}

/** A validated policy with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The fields of {@link RetryOptions}, in the order they are checked. Internal. */
export const policyKeys = [
  'maxAttempts',
  'maxElapsedMs',
  'initialDelayMs',
  'multiplier',
  'maxDelayMs',
  'jitter',
  'retryable',
] as const satisfies readonly (keyof RetryOptions)[];

/**
 * The defaults, chosen by the benchmark suite (docs/benchmarks.md, P3 and P6): a slow ramp (×1.1 from 150 ms)
 * reconnects one instance fast to a dependency that comes up late, while ±30 % jitter and a 1 s cap spread a
 * fleet's reconnects after a long outage.
 */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: Infinity,
  maxElapsedMs: 60_000,
  initialDelayMs: 150,
  multiplier: 1.1,
  maxDelayMs: 1_000,
  jitter: { proportional: 0.3 },
  retryable: isRetryable,
});

/** The default classifier: everything is retried except errors that carry `retryable: false`. */
export function isRetryable(error: unknown): boolean {
  return !(
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === false
  );
}

/**
 * Validates retry options and fills in the defaults. A bad field is named under `at.field` (defaults to `'retry'`)
 * and `at.plugin`: `Invalid option "reconnect.multiplier" of plugin "redis"`. Throws `STARTUP_ERR_INVALID_OPTION`.
 */
export function retryPolicy(options?: RetryOptions, at: PolicyField = {}): RetryPolicy {
  return checkRetryPolicy(options, at.field ?? 'retry', { plugin: at.plugin }, policyKeys);
}

/** {@link retryPolicy} with the keys it accepts (the runner's, `retry()`'s and `createRetry()`'s take more). Internal. */
export function checkRetryPolicy(
  given: RetryOptions | undefined,
  prefix: string,
  ctx: FieldContext,
  keys: readonly string[],
): RetryPolicy {
  const { plugin } = ctx;
  const options = checkObject(prefix, given, plugin, keys);
  const field = (name: string) => `${prefix}.${name}`;
  const d = defaultRetryPolicy;
  const unbounded = { plugin, allowInfinity: true };
  const initialDelayMs = checkDuration(
    field('initialDelayMs'),
    options.initialDelayMs,
    d.initialDelayMs,
    ctx,
  );
  const fallbackMaxMs = Math.max(initialDelayMs, d.maxDelayMs);
  const maxDelayMs = checkDuration(field('maxDelayMs'), options.maxDelayMs, fallbackMaxMs, ctx);
  const retryable = checkFunction<RetryPolicy['retryable']>(field('retryable'), options.retryable, ctx);
  if (maxDelayMs < initialDelayMs) {
    throw invalidOption(
      field('maxDelayMs'),
      `at least initialDelayMs (${initialDelayMs})`,
      maxDelayMs,
      plugin,
    );
  }
  return {
    maxAttempts: checkInteger(field('maxAttempts'), options.maxAttempts, d.maxAttempts, unbounded),
    maxElapsedMs: checkDuration(field('maxElapsedMs'), options.maxElapsedMs, d.maxElapsedMs, unbounded),
    initialDelayMs,
    multiplier: checkNumber(field('multiplier'), options.multiplier, d.multiplier, {
      plugin,
      min: 1,
      max: 100,
    }),
    maxDelayMs,
    jitter: checkJitter(field('jitter'), options.jitter ?? d.jitter, plugin),
    retryable: retryable ?? isRetryable,
  };
}

const jitterNames = ['none', 'full', 'equal', 'decorrelated'];

function checkJitter(field: string, jitter: unknown, plugin: string | undefined): Jitter {
  if (jitterNames.includes(jitter as string)) return jitter as Jitter;
  const { proportional, additiveMs } = Object(jitter);
  if (proportional !== undefined && additiveMs !== undefined) {
    throw invalidOption(field, 'one of { proportional } or { additiveMs }, not both', jitter, plugin);
  }
  if (proportional !== undefined) {
    return {
      proportional: checkNumber(`${field}.proportional`, proportional, 0, { plugin, min: 0, max: 1 }),
    };
  }
  if (additiveMs !== undefined)
    return { additiveMs: checkDuration(`${field}.additiveMs`, additiveMs, 0, { plugin }) };
  throw invalidOption(field, `${jitterNames.join(', ')}, { proportional } or { additiveMs }`, jitter, plugin);
}

/**
 * The delay in milliseconds before attempt `failures + 1`, after `failures` failed attempts (≥ 1).
 * `previousMs` is the delay used last time (decorrelated jitter needs it).
 */
export function backoffDelay(
  policy: RetryPolicy,
  failures: number,
  previousMs: number,
  random: Random,
): number {
  const { initialDelayMs: base, maxDelayMs: cap, jitter } = policy;
  // base 0 stays 0: 0 · multiplierⁿ would be 0 · Infinity = NaN once multiplierⁿ overflows.
  const exp = base === 0 ? 0 : Math.min(base * policy.multiplier ** (failures - 1), cap);
  if (jitter === 'none') return exp;
  if (jitter === 'full') return random() * exp;
  if (jitter === 'equal') return exp / 2 + (random() * exp) / 2;
  if (jitter === 'decorrelated') {
    const upper = Math.max(base, previousMs * 3);
    return Math.min(cap, base + random() * (upper - base));
  }
  if ('proportional' in jitter) return exp * (1 + jitter.proportional * (2 * random() - 1));
  return exp + random() * jitter.additiveMs;
}

/** The wait before attempt `failures + 1`, or `undefined` when attempts or elapsed time run out. */
export function nextDelay(
  policy: RetryPolicy,
  failures: number,
  previousMs: number,
  startedAt: number,
  clock: Clock,
  random: Random,
): number | undefined {
  if (failures >= policy.maxAttempts) return undefined;
  const delayMs = backoffDelay(policy, failures, previousMs, random);
  return clock.now() + delayMs - startedAt > policy.maxElapsedMs ? undefined : delayMs;
}
