import type { Clock } from '@startup/core';

// Captured at load so vitest fake timers installed later cannot stall `flush()`.
const realSetImmediate = globalThis.setImmediate;

/** Options of {@link createTestClock}. */
export interface TestClockOptions {
  /** Initial value of `now()`, in milliseconds. Defaults to 0. */
  startMs?: number;
  /** `wallNow()` when `now()` is `startMs`, in milliseconds since the epoch. Defaults to 2024-01-01T00:00:00.000Z. */
  wallStartMs?: number;
}

/**
 * A deterministic {@link Clock} for tests: time stands still until `advance` moves it, and timers
 * fire in due order (ties in scheduling order) with `now()` equal to their due time.
 */
export interface TestClock extends Clock {
  /**
   * Moves time forward by `ms` milliseconds, firing every timer due on the way, including timers
   * scheduled by those callbacks. Synchronous: promise callbacks run only after it returns.
   * A callback that throws stops the advance and the error propagates (a real timer would crash).
   */
  advance(ms: number): void;
  /**
   * Like `advance`, but lets pending promise callbacks run before each timer and at the end, so
   * async code (await fn, then sleep) can schedule its next timer within the same advance.
   */
  advanceAsync(ms: number): Promise<void>;
  /**
   * Moves time forward by `ms` milliseconds without firing any timer, as a blocked event loop does; the
   * timers that fell due fire on the next `advance`, with `now()` where the block left it.
   */
  block(ms: number): void;
  /** Fires timers (with `advanceAsync` semantics) until none is left; throws after `limit` timers (default 10000). */
  runAllAsync(limit?: number): Promise<number>;
  /** Lets pending promise callbacks run without moving time. */
  flush(): Promise<void>;
  /** The number of scheduled timers not yet fired or cleared. */
  readonly pendingTimers: number;
  /** Due time (on the `now()` scale) of the next timer, or `undefined` when none is scheduled. */
  nextTimerAt(): number | undefined;
}

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * Creates a {@link TestClock}. `setTimeout` throws a `RangeError` for `NaN` or `Infinity` (Node would
 * silently fire such a timer after 1 ms, which is always a bug); negative delays count as 0.
 */
export function createTestClock(options: TestClockOptions = {}): TestClock {
  const wallStart = options.wallStartMs ?? Date.UTC(2024, 0, 1);
  const start = options.startMs ?? 0;
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const next = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const timer of timers.values()) {
      if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.id < best.id)) {
        best = timer;
      }
    }
    return best;
  };

  const checkStep = (ms: number) => {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`TestClock: cannot advance by ${ms} ms; expected a finite number ≥ 0`);
    }
  };

  /** Fires the next timer due at or before `target`; `false` when there is none. */
  const fireNext = (target: number): boolean => {
    const timer = next();
    if (timer === undefined || timer.due > target) return false;
    timers.delete(timer.id);
    now = Math.max(now, timer.due);
    timer.fn();
    return true;
  };

  const flush = () => new Promise<void>((resolve) => realSetImmediate(resolve));

  return {
    now: () => now,
    wallNow: () => wallStart + (now - start),
    setTimeout(fn: () => void, ms: number) {
      if (typeof ms !== 'number' || Number.isNaN(ms) || ms === Number.POSITIVE_INFINITY) {
        throw new RangeError(`TestClock: setTimeout called with ${ms} ms`);
      }
      const id = nextId++;
      timers.set(id, { id, due: now + Math.max(0, ms), fn });
      return { id };
    },
    clearTimeout(handle: unknown) {
      if (typeof handle === 'object' && handle !== null && 'id' in handle) {
        timers.delete((handle as { id: number }).id);
      }
    },
    advance(ms: number) {
      checkStep(ms);
      const target = now + ms;
      while (fireNext(target)) {
        // keep firing: a callback may schedule another timer due before `target`
      }
      now = target;
    },
    block(ms: number) {
      checkStep(ms);
      now += ms;
    },
    async advanceAsync(ms: number) {
      checkStep(ms);
      const target = now + ms;
      await flush();
      while (fireNext(target)) await flush();
      now = target;
      await flush();
    },
    async runAllAsync(limit = 10_000) {
      let fired = 0;
      await flush();
      for (let timer = next(); timer !== undefined; timer = next()) {
        if (fired++ >= limit)
          throw new Error(`TestClock: more than ${limit} timers fired; is a timer re-arming itself?`);
        fireNext(timer.due);
        await flush();
      }
      return fired;
    },
    flush,
    get pendingTimers() {
      return timers.size;
    },
    nextTimerAt: () => next()?.due,
  };
}
