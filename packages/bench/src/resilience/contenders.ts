import { createBreaker, createBulkhead, createRetry, retry } from '@startup/core';
import {
  ConsecutiveBreaker,
  circuitBreaker,
  bulkhead as cockatielBulkhead,
  retry as cockatielRetry,
  ExponentialBackoff,
  handleAll,
  wrap,
} from 'cockatiel';
import CircuitBreaker from 'opossum';

/** A call through a resilience policy; `dispose` releases what the policy holds (opossum's timers). */
export interface Contender {
  name: string;
  /** Timed in the first repetition only: its failure path is too slow to repeat (opossum kept closed). */
  once?: boolean;
  /** Makes a fresh policy around `fn` and returns the call and its disposer. */
  make(fn: () => Promise<unknown>): { call: () => Promise<unknown>; dispose: () => void };
}

const none = () => {};
/** Calls made at once in the bulkhead's queued rows: 4 run, 12 wait. */
export const batch = 16;
const neverOpens = Number.MAX_SAFE_INTEGER;

/** Success path: each library's breaker, retry and both, with the settings closest to one another. */
export const successContenders: readonly Contender[] = [
  { name: 'bare call (floor)', make: (fn) => ({ call: fn, dispose: none }) },
  {
    name: 'ours: breaker',
    make: (fn) => {
      const breaker = createBreaker();
      return { call: () => breaker.execute(fn), dispose: none };
    },
  },
  // As users call it: the options written in the call, a new object each time.
  {
    name: 'ours: retry(fn, { maxAttempts: 3 })',
    make: (fn) => ({ call: () => retry(fn, { maxAttempts: 3 }), dispose: none }),
  },
  {
    name: 'ours: createRetry({ maxAttempts: 3 }), built once',
    make: (fn) => {
      const policy = createRetry({ maxAttempts: 3 });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'ours: retry(() => breaker.execute(fn), { maxAttempts: 3 })',
    make: (fn) => {
      const breaker = createBreaker();
      return { call: () => retry(() => breaker.execute(fn), { maxAttempts: 3 }), dispose: none };
    },
  },
  {
    name: 'ours: createRetry({ maxAttempts: 3, breaker }), built once',
    make: (fn) => {
      const policy = createRetry({ maxAttempts: 3, breaker: createBreaker() });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: breaker',
    make: (fn) => {
      const policy = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(3) });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: retry',
    make: (fn) => {
      const policy = cockatielRetry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: retry + breaker',
    make: (fn) => {
      const policy = wrap(
        cockatielRetry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
        circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(3) }),
      );
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'ours: bulkhead',
    make: (fn) => {
      const bulkhead = createBulkhead({ maxConcurrent: 10 });
      return { call: () => bulkhead.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: bulkhead',
    make: (fn) => {
      const policy = cockatielBulkhead(10);
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: `${batch} bare calls at once (floor)`,
    make: (fn) => ({ call: () => Promise.all(Array.from({ length: batch }, fn)), dispose: none }),
  },
  {
    name: `ours: bulkhead, ${batch} at once through 4`,
    make: (fn) => {
      const bulkhead = createBulkhead({ maxConcurrent: 4 });
      return {
        call: () => Promise.all(Array.from({ length: batch }, () => bulkhead.execute(fn))),
        dispose: none,
      };
    },
  },
  {
    name: `cockatiel: bulkhead, ${batch} at once through 4`,
    make: (fn) => {
      const policy = cockatielBulkhead(4, batch);
      return {
        call: () => Promise.all(Array.from({ length: batch }, () => policy.execute(fn))),
        dispose: none,
      };
    },
  },
  {
    name: 'opossum: breaker (defaults: 10 s timeout per call)',
    make: (fn) => {
      const breaker = new CircuitBreaker(fn);
      return { call: () => breaker.fire(), dispose: () => breaker.shutdown() };
    },
  },
  {
    name: 'opossum: breaker (timeout: false)',
    make: (fn) => {
      const breaker = new CircuitBreaker(fn, { timeout: false });
      return { call: () => breaker.fire(), dispose: () => breaker.shutdown() };
    },
  },
];

/**
 * Failure path: every call fails. "opens" rows use each library's usual threshold, so after the first few
 * failures calls are refused without running (the common case during an outage); "kept closed" rows never
 * open, so every failure is recorded.
 */
export const failureContenders: readonly Contender[] = [
  {
    name: 'ours: breaker, opens after 3',
    make: (fn) => {
      const breaker = createBreaker();
      return { call: () => breaker.execute(fn), dispose: none };
    },
  },
  {
    name: 'ours: breaker, kept closed',
    make: (fn) => {
      const breaker = createBreaker({ failureThreshold: neverOpens });
      return { call: () => breaker.execute(fn), dispose: none };
    },
  },
  {
    name: 'ours: retry (1 attempt) + breaker',
    make: (fn) => {
      const policy = createRetry({ maxAttempts: 1, breaker: createBreaker() });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: breaker, opens after 3',
    make: (fn) => {
      const policy = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(3) });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: breaker, kept closed',
    make: (fn) => {
      const policy = circuitBreaker(handleAll, {
        halfOpenAfter: 60_000,
        breaker: new ConsecutiveBreaker(neverOpens),
      });
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'cockatiel: retry (no retry) + breaker',
    make: (fn) => {
      const policy = wrap(
        cockatielRetry(handleAll, { maxAttempts: 0 }),
        circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(3) }),
      );
      return { call: () => policy.execute(fn), dispose: none };
    },
  },
  {
    name: 'opossum: breaker, opens (defaults)',
    make: (fn) => {
      const breaker = new CircuitBreaker(fn);
      return { call: () => breaker.fire(), dispose: () => breaker.shutdown() };
    },
  },
  {
    name: 'opossum: breaker, kept closed (timeout: false)',
    once: true,
    make: (fn) => {
      const breaker = new CircuitBreaker(fn, { timeout: false, errorThresholdPercentage: 100 });
      return { call: () => breaker.fire(), dispose: () => breaker.shutdown() };
    },
  },
];
