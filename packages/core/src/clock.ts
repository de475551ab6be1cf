/**
 * Time as the library sees it. Inject one to test retry, breaker, runner and monitor
 * logic deterministically; the default is `performance.now()` and unref'd timers.
 */
export interface Clock {
  /** Monotonic time in milliseconds (sub-millisecond precision); only differences are meaningful. */
  now(): number;
  /** Wall-clock time in milliseconds since the epoch, for timestamps in reports. */
  wallNow(): number;
  /** Schedules `fn` after `ms` milliseconds. Timers of the default clock never keep the process alive. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer made by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/** A random source returning a float in [0, 1), like `Math.random`. */
export type Random = () => number;

/** The real clock: `performance.now()`, `Date.now()`, and timers that are `unref`'d (waiting 24.8 days at most). */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => {
    // Node fires a delay above 2^31 − 1 ms (24.8 days) after 1 ms: wait 24.8 days at most instead.
    const handle = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A signal that never aborts, shared: an AbortController per call costs more than the rest of a quick call.
 * Internal. Pure, so a bundle that never reads it drops it.
 */
export const neverAborts: AbortSignal = /* @__PURE__ */ (() => new AbortController().signal)();

/**
 * Resolves after `ms` on `clock`, or rejects with the signal's reason as soon as `signal` aborts.
 * The process stays alive while it waits (someone awaits it); the timer is cleared on abort so nothing is left.
 */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  clock: Clock = systemClock,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const release = keepAlive();
    const onAbort = () => {
      clock.clearTimeout(handle);
      release();
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      release();
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keeps the process alive until the returned function is called: a start or a shutdown in progress must not
 * be cut short because every timer it waits on is unref'd. Returns the release function.
 */
export function keepAlive(): () => void {
  const handle = setInterval(() => {}, 1 << 30);
  return () => clearInterval(handle);
}
