import type { CircuitBreaker } from './breaker.js';
import { type Clock, neverAborts, type Random, sleep, systemClock } from './clock.js';
import { invalidOption } from './errors.js';
import { type Disposer, Emitter } from './events.js';
import {
  checkRetryPolicy,
  defaultRetryPolicy,
  type Jitter,
  nextDelay,
  policyKeys,
  type RetryOptions,
  type RetryPolicy,
} from './retry.js';

/** What one attempt receives. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the caller's signal aborts. */
  signal: AbortSignal;
}

/** A wait between two attempts, as `onRetry` receives it. */
export interface RetryInfo {
  /** The attempt that failed; 1 for the first. */
  attempt: number;
  /** The wait before the next attempt, in milliseconds. */
  delayMs: number;
  /** The error the attempt failed with. */
  error: unknown;
}

/** Options of {@link retry}, besides the policy. */
export interface RetryRunOptions extends RetryOptions {
  /**
   * Aborting ends a wait at once and rejects with the signal's reason; the attempt in progress gets the signal
   * (an attempt that resolves anyway still returns its value: the caller owns what it opened).
   */
  signal?: AbortSignal;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Defaults to `Math.random`. */
  random?: Random;
  /** Called before each wait, with the delay in milliseconds and the error that caused it. */
  onRetry?: (info: RetryInfo) => void;
}

/** Options of {@link createRetry}: the policy, validated once, and what every call shares. */
export interface RetrierOptions extends RetryOptions {
  /** Every attempt runs through this breaker; a refusal (`STARTUP_ERR_BREAKER_OPEN`) counts as a failed attempt. Defaults to none. */
  breaker?: CircuitBreaker;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Defaults to `Math.random`. */
  random?: Random;
  /** Called before each wait of every call, with the delay in milliseconds and the error that caused it. */
  onRetry?: (info: RetryInfo) => void;
}

/** A retry policy built and validated once, then run for many calls (cockatiel's `retry(...).execute`). */
export interface Retrier {
  /** The validated policy, every default filled in. */
  readonly policy: RetryPolicy;
  /**
   * Calls `fn` until it resolves, as {@link retry} does. Aborting `signal` ends a wait at once and rejects with its
   * reason; the attempt in progress gets the signal. Defaults to a signal that never aborts.
   */
  execute<T>(fn: (ctx: AttemptContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
  /** Subscribes to the waits between attempts of every call; returns a disposer. */
  onRetry(listener: (info: RetryInfo) => void): Disposer;
}

/** What a run needs besides `fn` and the signal. */
interface Plan {
  policy: RetryPolicy;
  clock: Clock;
  random: Random;
  breaker: CircuitBreaker | undefined;
  onRetry: ((info: RetryInfo) => void) | undefined;
}

const runKeys = [
  'signal',
  'clock',
  'random',
  'onRetry',
] as const satisfies readonly (keyof RetryRunOptions)[];
const retrierKeys = [
  'breaker',
  'clock',
  'random',
  'onRetry',
] as const satisfies readonly (keyof RetrierOptions)[];
// Pure: a bundle that never calls retry() or createRetry() drops them.
const retryKeys: readonly string[] = /* @__PURE__ */ (policyKeys as readonly string[]).concat(runKeys);
const createRetryKeys: readonly string[] = /* @__PURE__ */ (policyKeys as readonly string[]).concat(
  retrierKeys,
);

/**
 * Builds a retry policy once: the options are validated here (`STARTUP_ERR_INVALID_OPTION` naming the field),
 * not on every call. `createRetry({ maxAttempts: 3, breaker })` runs every attempt through `breaker`.
 */
export function createRetry(options: RetrierOptions = {}): Retrier {
  const policy = checkRetryPolicy(options, 'retry', {}, createRetryKeys);
  const breaker = options.breaker;
  if (breaker !== undefined && typeof Object(breaker).execute !== 'function') {
    throw invalidOption('retry.breaker', 'a circuit breaker (createBreaker())', breaker, undefined);
  }
  const retries = new Emitter<{ retry: RetryInfo }>();
  const given = options.onRetry;
  const plan: Plan = {
    policy,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    breaker,
    onRetry: (info) => {
      given?.(info);
      retries.emit('retry', info);
    },
  };
  return {
    policy,
    execute: (fn, signal = neverAborts) => attempts(plan, fn, signal),
    onRetry: (listener) => retries.on('retry', listener),
  };
}

/**
 * Calls `fn` until it resolves, waiting with exponential backoff and jitter between failures.
 * Rejects with the last error when the error is not retryable, attempts or elapsed time run out.
 * The options are checked once per distinct set of values (the last one is remembered); a policy run for many
 * calls is {@link createRetry}.
 */
export function retry<T>(
  fn: (ctx: AttemptContext) => PromiseLike<T> | T,
  options?: RetryRunOptions,
): Promise<T> {
  if (options === undefined) return attempts(defaultPlan, fn, neverAborts);
  let plan: Plan;
  try {
    plan = planOf(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return attempts(plan, fn, options.signal ?? neverAborts);
}

/** The plan of `options`: the remembered one when the policy fields are the same and no run option is given. */
function planOf(options: RetryRunOptions): Plan {
  const policy = policyOf(options);
  const { clock, random, onRetry } = options;
  if (clock === undefined && random === undefined && onRetry === undefined) return last.plan;
  return { policy, clock: clock ?? systemClock, random: random ?? Math.random, breaker: undefined, onRetry };
}

const defaultPlan: Plan = {
  policy: defaultRetryPolicy,
  clock: systemClock,
  random: Math.random,
  breaker: undefined,
  onRetry: undefined,
};

/**
 * What `retry()` validated last: its policy fields, the keys `for...in` found in it (none when one is unknown), the
 * policy they gave and its plan.
 */
const last: { given: RetryOptions; keys: readonly string[]; policy: RetryPolicy; plan: Plan } = {
  given: {},
  keys: [],
  policy: defaultRetryPolicy,
  plan: defaultPlan,
};

/** The validated policy of `options`: the remembered one when its fields hold the same values. */
function policyOf(options: RetryRunOptions): RetryPolicy {
  if (
    typeof options === 'object' &&
    options !== null &&
    !Array.isArray(options) &&
    sameFields(options) &&
    knownKeysOnly(options)
  ) {
    return last.policy;
  }
  const policy = checkRetryPolicy(options, 'retry', {}, retryKeys);
  const { jitter } = options;
  last.given = {
    maxAttempts: options.maxAttempts,
    maxElapsedMs: options.maxElapsedMs,
    initialDelayMs: options.initialDelayMs,
    multiplier: options.multiplier,
    maxDelayMs: options.maxDelayMs,
    // A copy: the caller may change its own object later.
    jitter: typeof jitter === 'object' ? { ...jitter } : jitter,
    retryable: options.retryable,
  };
  const keys: string[] = [];
  for (const key in options) keys.push(key);
  // An inherited unknown key passes the check above (it reads own keys): such options are never matched by keys.
  last.keys = keys.every((key) => retryKeys.includes(key)) ? keys : [];
  last.policy = policy;
  last.plan = { ...defaultPlan, policy };
  return policy;
}

/**
 * Whether every key `for...in` finds is one `retry()` takes; a misspelt one goes to the full check, which names it.
 * Options written the same way as the last ones have the same keys in the same order: one pointer comparison per
 * key, where looking each one up among the known keys would cost about as much as the rest of the check.
 */
function knownKeysOnly(options: RetryRunOptions): boolean {
  const keys = last.keys;
  let i = 0;
  for (const key in options) if (key !== keys[i++]) return everyKeyKnown(options);
  return i === keys.length || everyKeyKnown(options);
}

function everyKeyKnown(options: RetryRunOptions): boolean {
  for (const key in options) if (!retryKeys.includes(key)) return false;
  return true;
}

function sameFields(options: RetryOptions): boolean {
  const given = last.given;
  return (
    options.maxAttempts === given.maxAttempts &&
    options.maxElapsedMs === given.maxElapsedMs &&
    options.initialDelayMs === given.initialDelayMs &&
    options.multiplier === given.multiplier &&
    options.maxDelayMs === given.maxDelayMs &&
    options.retryable === given.retryable &&
    sameJitter(options.jitter, given.jitter)
  );
}

// Compared by value: `{ jitter: { proportional: 0.2 } }` written in the call is a new object each time.
function sameJitter(a: Jitter | undefined, b: Jitter | undefined): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null) return a === b;
  return (
    (a as { proportional?: number }).proportional === (b as { proportional?: number }).proportional &&
    (a as { additiveMs?: number }).additiveMs === (b as { additiveMs?: number }).additiveMs
  );
}

/**
 * One run: the first attempt, then {@link retryAfter} once it fails. Chained with `then` rather than an `async`
 * function awaiting it: a call whose first attempt succeeds (the common case) costs about 50 ns less.
 */
function attempts<T>(
  plan: Plan,
  fn: (ctx: AttemptContext) => PromiseLike<T> | T,
  signal: AbortSignal,
): Promise<T> {
  let started: number;
  try {
    if (signal.aborted) throw signal.reason;
    // Reading the clock is a good part of a quick call's cost: only an elapsed-time budget needs it.
    started = plan.policy.maxElapsedMs === Infinity ? 0 : plan.clock.now();
  } catch (error) {
    return Promise.reject(error);
  }
  const failed = (error: unknown) => retryAfter(plan, fn, signal, started, error);
  // As `await` would, a throw while calling `fn` or adopting what it returned is a failed attempt.
  try {
    return Promise.resolve(attempt(plan, fn, 1, signal)).then(undefined, failed);
  } catch (error) {
    return failed(error);
  }
}

function attempt<T>(
  plan: Plan,
  fn: (ctx: AttemptContext) => PromiseLike<T> | T,
  n: number,
  signal: AbortSignal,
): PromiseLike<T> | T {
  const ctx = { attempt: n, signal };
  return plan.breaker ? plan.breaker.execute(() => fn(ctx)) : fn(ctx);
}

/** The waits and attempts after attempt 1 failed with `error`. */
async function retryAfter<T>(
  plan: Plan,
  fn: (ctx: AttemptContext) => PromiseLike<T> | T,
  signal: AbortSignal,
  started: number,
  error: unknown,
): Promise<T> {
  const { policy, clock, random } = plan;
  let previousDelay = policy.initialDelayMs;
  for (let failed = 1; ; failed++) {
    if (signal.aborted) throw signal.reason;
    const delayMs = policy.retryable(error)
      ? nextDelay(policy, failed, previousDelay, started, clock, random)
      : undefined;
    if (delayMs === undefined) throw error;
    previousDelay = delayMs;
    plan.onRetry?.({ attempt: failed, delayMs, error });
    await sleep(delayMs, signal, clock);
    if (signal.aborted) throw signal.reason;
    try {
      return await attempt(plan, fn, failed + 1, signal);
    } catch (next) {
      error = next;
    }
  }
}
