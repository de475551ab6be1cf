import { createTestClock } from '@startup/test-kit/clock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, sleep, systemClock } from './clock.js';

/** Records whether a promise has settled, without awaiting it. */
function track(promise: Promise<unknown>) {
  const state = { settled: false, error: undefined as unknown };
  promise.then(
    () => {
      state.settled = true;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('sleep', () => {
  it('resolves after the given milliseconds and not before', async () => {
    const clock = createTestClock();
    const state = track(sleep(250, undefined, clock));
    await clock.advanceAsync(249);
    expect(state.settled).toBe(false);
    await clock.advanceAsync(1);
    expect(state).toEqual({ settled: true, error: undefined });
    expect(clock.pendingTimers).toBe(0);
  });

  it("rejects at once with the signal's reason when aborted and clears its timer", async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const slept = sleep(60_000, controller.signal, clock);
    expect(clock.pendingTimers).toBe(1);
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(0);
  });

  it('rejects without scheduling a timer when the signal is already aborted', async () => {
    const clock = createTestClock();
    const reason = new Error('too late');
    await expect(sleep(10, AbortSignal.abort(reason), clock)).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('removes its abort listener once it has resolved', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const slept = sleep(10, controller.signal, clock);
    await clock.advanceAsync(10);
    await slept;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    // A late abort is now harmless: nothing rejects, nothing throws.
    controller.abort(new Error('late'));
  });

  it('clears the timer on the clock it was given when aborted', async () => {
    const cleared: unknown[] = [];
    const handle = { id: 'h' };
    const clock: Clock = {
      ...systemClock,
      setTimeout: () => handle,
      clearTimeout: (h) => cleared.push(h),
    };
    const controller = new AbortController();
    const slept = sleep(1_000, controller.signal, clock);
    controller.abort();
    await expect(slept).rejects.toBeInstanceOf(DOMException);
    expect(cleared).toEqual([handle]);
  });
});

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes timers that never keep the process alive', () => {
    const handle = systemClock.setTimeout(() => {}, 60_000) as NodeJS.Timeout;
    try {
      expect(handle.hasRef()).toBe(false);
    } finally {
      systemClock.clearTimeout(handle);
    }
  });

  it('fires its timers and cancels them on clearTimeout', async () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    systemClock.setTimeout(() => fired.push('kept'), 100);
    const cancelled = systemClock.setTimeout(() => fired.push('cancelled'), 100);
    systemClock.clearTimeout(cancelled);
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toEqual(['kept']);
  });

  it('gives a non-decreasing monotonic time and an epoch wall time', () => {
    const first = systemClock.now();
    const second = systemClock.now();
    expect(second).toBeGreaterThanOrEqual(first);
    const before = Date.now();
    const wall = systemClock.wallNow();
    expect(wall).toBeGreaterThanOrEqual(before);
    expect(wall).toBeLessThanOrEqual(Date.now());
  });

  it('is the clock sleep uses by default', async () => {
    vi.useFakeTimers();
    const state = track(sleep(1_000, undefined));
    await vi.advanceTimersByTimeAsync(999);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.settled).toBe(true);
  });
});
