import { type Clock, type Random, sleep, systemClock } from './clock.js';
import { StartupError } from './errors.js';
import { checkDuration, checkFunction, checkInteger, checkNumber, type FieldContext } from './options.js';

/**
 * How a delay is randomised, so a fleet of replicas does not retry in lock-step.
 * - `'none'`: exactly the exponential delay.
 * - `'full'`: uniform in [0, delay] (AWS "full jitter").
 * - `'equal'`: uniform in [delay / 2, delay].
 * - `'decorrelated'`: uniform in [initialDelayMs, 3 × previous delay], capped at `maxDelayMs` (AWS).
 * - `{ proportional: f }`: uniform in [delay × (1 − f), delay × (1 + f)] (gRPC connection backoff uses 0.2).
 * - `{ additiveMs: n }`: delay + uniform in [0, n] (the origin document's `min(base·factorⁿ, max) + uniform(0, 1 s)`).
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
  /** No attempt starts after this many milliseconds since the first one. Defaults to 30000. */
  maxElapsedMs?: number;
  /** Delay before the second attempt, in milliseconds. Defaults to 100. */
  initialDelayMs?: number;
  /** Growth factor of the delay per attempt. Defaults to 2. */
  multiplier?: number;
  /** Cap of the exponential delay, in milliseconds, before jitter. Defaults to 500. */
  maxDelayMs?: number;
  /** Randomisation of each delay. Defaults to `{ proportional: 0.5 }`. */
  jitter?: Jitter;
  /** `false` stops at once (a bad password will not get better). Defaults to "retry unless the error says `retryable: false`". */
  retryable?: (error: unknown) => boolean;
}

/** A validated policy with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: Number.POSITIVE_INFINITY,
  maxElapsedMs: 30_000,
  initialDelayMs: 100,
  multiplier: 2,
  maxDelayMs: 500,
  jitter: { proportional: 0.5 },
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

/** Validates `options` (naming the bad field, prefixed by `prefix`) and fills in the defaults. */
export function retryPolicy(
  options: RetryOptions = {},
  prefix = 'retry',
  ctx: FieldContext = {},
): RetryPolicy {
  const f = (name: string) => `${prefix}.${name}`;
  const initialDelayMs = checkDuration(
    f('initialDelayMs'),
    options.initialDelayMs,
    defaultRetryPolicy.initialDelayMs,
    ctx,
  );
  const maxDelayMs = checkDuration(
    f('maxDelayMs'),
    options.maxDelayMs,
    Math.max(initialDelayMs, defaultRetryPolicy.maxDelayMs),
    ctx,
  );
  if (maxDelayMs < initialDelayMs) {
    throw new StartupError(
      'STARTUP_ERR_INVALID_OPTION',
      `Invalid option "${f('maxDelayMs')}"${ctx.plugin ? ` of plugin "${ctx.plugin}"` : ''}: must be ≥ initialDelayMs (${initialDelayMs}), got ${maxDelayMs}`,
      { plugin: ctx.plugin, retryable: false },
    );
  }
  return {
    maxAttempts: checkInteger(f('maxAttempts'), options.maxAttempts, defaultRetryPolicy.maxAttempts, {
      ...ctx,
      allowInfinity: true,
    }),
    maxElapsedMs: checkDuration(f('maxElapsedMs'), options.maxElapsedMs, defaultRetryPolicy.maxElapsedMs, {
      ...ctx,
      allowInfinity: true,
    }),
    initialDelayMs,
    multiplier: checkNumber(f('multiplier'), options.multiplier, defaultRetryPolicy.multiplier, {
      ...ctx,
      min: 1,
      max: 100,
    }),
    maxDelayMs,
    jitter: checkJitter(f('jitter'), options.jitter, ctx),
    retryable: checkFunction<(e: unknown) => boolean>(f('retryable'), options.retryable, ctx) ?? isRetryable,
  };
}

function checkJitter(field: string, value: unknown, ctx: FieldContext): Jitter {
  if (value === undefined) return defaultRetryPolicy.jitter;
  if (value === 'none' || value === 'full' || value === 'equal' || value === 'decorrelated') return value;
  if (typeof value === 'object' && value !== null) {
    if ('proportional' in value) {
      return {
        proportional: checkNumber(`${field}.proportional`, value.proportional, 0, { ...ctx, min: 0, max: 1 }),
      };
    }
    if ('additiveMs' in value)
      return { additiveMs: checkDuration(`${field}.additiveMs`, value.additiveMs, 0, ctx) };
  }
  throw new StartupError(
    'STARTUP_ERR_INVALID_OPTION',
    `Invalid option "${field}"${ctx.plugin ? ` of plugin "${ctx.plugin}"` : ''}: expected 'none', 'full', 'equal', 'decorrelated', { proportional } or { additiveMs }`,
    { plugin: ctx.plugin, retryable: false },
  );
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

/** What one attempt receives. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the caller's signal aborts. */
  signal: AbortSignal;
}

/** Options of {@link retry}, besides the policy. */
export interface RetryRunOptions extends RetryOptions {
  /** Aborting stops at once, even during a wait; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Defaults to `Math.random`. */
  random?: Random;
  /** Called before each wait, with the delay in milliseconds and the error that caused it. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Calls `fn` until it resolves, waiting with exponential backoff and jitter between failures.
 * Rejects with the last error when the error is not retryable, attempts or elapsed time run out.
 */
export async function retry<T>(
  fn: (ctx: AttemptContext) => Promise<T>,
  options: RetryRunOptions = {},
): Promise<T> {
  const policy = retryPolicy(options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const signal = options.signal ?? new AbortController().signal;
  const started = clock.now();
  let previousDelay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw signal.reason;
    try {
      return await fn({ attempt, signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const delayMs = nextDelay(policy, attempt, previousDelay, started, clock, random, error);
      if (delayMs === undefined) throw error;
      previousDelay = delayMs;
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal, clock);
    }
  }
}

/** The wait before the next attempt, or `undefined` when the policy says to stop. */
export function nextDelay(
  policy: RetryPolicy,
  failures: number,
  previousMs: number,
  startedAt: number,
  clock: Clock,
  random: Random,
  error: unknown,
): number | undefined {
  if (failures >= policy.maxAttempts || !policy.retryable(error)) return undefined;
  const delayMs = backoffDelay(policy, failures, previousMs, random);
  if (clock.now() + delayMs - startedAt > policy.maxElapsedMs) return undefined;
  return delayMs;
}
