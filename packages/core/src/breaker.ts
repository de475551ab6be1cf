import { type Clock, systemClock } from './clock.js';
import { StartupError } from './errors.js';
import { type Disposer, Emitter } from './events.js';
import { checkDuration, checkInteger, checkObject, type FieldContext, type PolicyField } from './options.js';

/** The three states of a circuit breaker. */
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Circuit breaker settings. */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Defaults to 3 (the spec's default). */
  failureThreshold?: number;
  /** How long the circuit stays OPEN before trial calls are let through, in milliseconds. Defaults to 60000 (the spec's default). */
  openMs?: number;
  /** Trial calls allowed at once while HALF_OPEN. Defaults to 1. */
  halfOpenMaxCalls?: number;
  /** Successful trial calls that close the circuit again. Defaults to 1. */
  successThreshold?: number;
}

/** A breaker's state as `toJSON()` gives it. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** Consecutive failures counted while CLOSED. */
  failures: number;
  /** Milliseconds until an OPEN circuit lets a trial call through; 0 unless OPEN. */
  retryInMs: number;
  /** Wall-clock time of the last transition, ISO 8601, if any. */
  since?: string;
}

/** A state change, as the breaker emits it. */
export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  /** The error that opened the circuit, when it opened. */
  error?: unknown;
}

/** A circuit breaker. No timers: the state is re-evaluated whenever it is called or read. */
export interface CircuitBreaker {
  /** The current state (reading it may move OPEN to HALF_OPEN when the open period has passed). */
  readonly state: BreakerState;
  /** Runs `fn` unless the circuit is OPEN, in which case it rejects at once with `STARTUP_ERR_BREAKER_OPEN`. */
  execute<T>(fn: () => PromiseLike<T> | T): Promise<T>;
  /** Counts a success (for calls made outside `execute`). */
  recordSuccess(): void;
  /** Counts a failure (for calls made outside `execute`). */
  recordFailure(error?: unknown): void;
  /** Subscribes to transitions; returns a disposer. */
  onStateChange(listener: (transition: BreakerTransition) => void): Disposer;
  /** Back to CLOSED with no failures. */
  reset(): void;
  toJSON(): BreakerSnapshot;
}

export const breakerKeys = ['failureThreshold', 'openMs', 'halfOpenMaxCalls', 'successThreshold'];
// Pure: a bundle that never calls createBreaker drops it.
const createBreakerKeys = /* @__PURE__ */ breakerKeys.concat('name', 'clock');

/**
 * Validates breaker options and fills in the defaults. A bad field is named under `at.field` (defaults to
 * `'breaker'`) and `at.plugin`. Throws `STARTUP_ERR_INVALID_OPTION`.
 */
export function breakerPolicy(options?: BreakerOptions, at: PolicyField = {}): Required<BreakerOptions> {
  return checkBreakerPolicy(options, at.field ?? 'breaker', { plugin: at.plugin }, breakerKeys);
}

/** {@link breakerPolicy} with the keys it accepts (`createBreaker` takes more). Internal. */
export function checkBreakerPolicy(
  given: BreakerOptions | undefined,
  prefix: string,
  ctx: FieldContext,
  keys: readonly string[],
): Required<BreakerOptions> {
  const options = checkObject(prefix, given, ctx.plugin, keys);
  const count = (key: 'failureThreshold' | 'halfOpenMaxCalls' | 'successThreshold', fallback: number) =>
    checkInteger(`${prefix}.${key}`, options[key], fallback, ctx);
  return {
    failureThreshold: count('failureThreshold', 3),
    openMs: checkDuration(`${prefix}.openMs`, options.openMs, 60_000, ctx),
    halfOpenMaxCalls: count('halfOpenMaxCalls', 1),
    successThreshold: count('successThreshold', 1),
  };
}

/** Creates a circuit breaker. `name` appears in the rejection error; `clock` defaults to the system clock. */
export function createBreaker(
  options: BreakerOptions & { name?: string; clock?: Clock } = {},
): CircuitBreaker {
  const policy = checkBreakerPolicy(options, 'breaker', {}, createBreakerKeys);
  return circuitBreaker(policy, options.clock ?? systemClock, options.name);
}

/** A breaker from an already validated policy (the runner validates once for all plugins). Internal. */
export function circuitBreaker(
  policy: Required<BreakerOptions>,
  clock: Clock,
  name: string | undefined,
): CircuitBreaker {
  const changes = new Emitter<{ change: BreakerTransition }>();
  let state: BreakerState = 'CLOSED';
  let failures = 0;
  let successes = 0;
  let trials = 0;
  let openedAt = 0;
  let since: number | undefined;
  // Bumped on every transition: a call's outcome counts only if the state it was admitted in still holds.
  let epoch = 0;

  const move = (to: BreakerState, error?: unknown) => {
    const from = state;
    if (from === to) return;
    state = to;
    epoch++;
    since = clock.wallNow();
    successes = trials = 0;
    if (to === 'OPEN') openedAt = clock.now();
    if (to === 'CLOSED') failures = 0;
    changes.emit('change', error === undefined ? { from, to } : { from, to, error });
  };

  const current = (): BreakerState => {
    if (state === 'OPEN' && clock.now() - openedAt >= policy.openMs) move('HALF_OPEN');
    return state;
  };

  const retryInMs = () => (state === 'OPEN' ? Math.max(0, policy.openMs - (clock.now() - openedAt)) : 0);

  const recordSuccess = () => {
    const s = current();
    if (s === 'CLOSED') failures = 0;
    else if (s === 'HALF_OPEN') {
      trials = Math.max(0, trials - 1);
      if (++successes >= policy.successThreshold) move('CLOSED');
    }
  };

  const recordFailure = (error?: unknown) => {
    const s = current();
    if (s === 'HALF_OPEN' || (s === 'CLOSED' && ++failures >= policy.failureThreshold)) move('OPEN', error);
  };

  return {
    get state() {
      return current();
    },
    async execute<T>(fn: () => PromiseLike<T> | T): Promise<T> {
      const s = current();
      if (s === 'OPEN' || (s === 'HALF_OPEN' && trials >= policy.halfOpenMaxCalls)) {
        const when = s === 'OPEN' ? `in ${Math.ceil(retryInMs())} ms` : 'once its trial calls end';
        throw new StartupError(
          'STARTUP_ERR_BREAKER_OPEN',
          `Circuit breaker${name ? ` of "${name}"` : ''} is ${s}; try again ${when}`,
          { plugin: name },
        );
      }
      if (s === 'HALF_OPEN') trials++;
      const admittedIn = epoch;
      try {
        const value = await fn();
        if (epoch === admittedIn) recordSuccess();
        return value;
      } catch (error) {
        if (epoch === admittedIn) recordFailure(error);
        throw error;
      }
    },
    recordSuccess,
    recordFailure,
    onStateChange: (listener) => changes.on('change', listener),
    reset: () => {
      move('CLOSED');
      failures = 0;
    },
    toJSON(): BreakerSnapshot {
      const snapshot: BreakerSnapshot = { state: current(), failures, retryInMs: retryInMs() };
      if (since !== undefined) snapshot.since = new Date(since).toISOString();
      return snapshot;
    },
  };
}
