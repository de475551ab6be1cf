import { createTestClock, type TestClock } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { createBreaker } from './breaker.js';
import { type AttemptContext, createRetry, retry } from './retrier.js';

/** `fn` that fails `failures` times, recording when each attempt started. */
function flaky(clock: TestClock, failures: number, error: unknown = new Error('ECONNREFUSED')) {
  const starts: number[] = [];
  const fn = vi.fn(async ({ attempt }: AttemptContext) => {
    starts.push(clock.now());
    if (attempt <= failures) throw error;
    return `ok after ${attempt}`;
  });
  return { fn, starts };
}

describe('createRetry', () => {
  it('validates its options once, when it is built, naming the field', () => {
    expect(() => createRetry({ multiplier: 0.5 })).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('"retry.multiplier"'),
      }),
    );
    expect(() => createRetry({ maxAttempt: 3 } as never)).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('"retry.maxAttempt"'),
      }),
    );
    expect(() => createRetry({ breaker: {} as never })).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('"retry.breaker"'),
      }),
    );
  });

  it('exposes the validated policy with every default filled in', () => {
    expect(createRetry({ maxAttempts: 3 }).policy).toMatchObject({ maxAttempts: 3, initialDelayMs: 150 });
  });

  it('runs many calls with one policy, each with its own attempts and backoff', async () => {
    const clock = createTestClock();
    const policy = createRetry({ clock, initialDelayMs: 100, multiplier: 2, jitter: 'none' });
    const first = flaky(clock, 2);
    const second = flaky(clock, 1);
    const results = Promise.all([policy.execute(first.fn), policy.execute(second.fn)]);
    await clock.runAllAsync();
    await expect(results).resolves.toEqual(['ok after 3', 'ok after 2']);
    expect(first.starts).toEqual([0, 100, 300]);
    expect(second.starts).toEqual([0, 100]);
  });

  it('resolves with the first success without a timer, and takes a plain value as well as a promise', async () => {
    const clock = createTestClock();
    const policy = createRetry({ clock });
    await expect(policy.execute(() => 42)).resolves.toBe(42);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with the last error once maxAttempts run out, and at once for an error that is not retryable', async () => {
    const clock = createTestClock();
    const policy = createRetry({ clock, maxAttempts: 2, jitter: 'none' });
    const down = flaky(clock, 5, new Error('down'));
    const result = policy.execute(down.fn);
    const settled = expect(result).rejects.toThrow('down');
    await clock.runAllAsync();
    await settled;
    expect(down.fn).toHaveBeenCalledTimes(2);
    const refused = flaky(clock, 5, Object.assign(new Error('bad password'), { retryable: false }));
    await expect(policy.execute(refused.fn)).rejects.toThrow('bad password');
    expect(refused.fn).toHaveBeenCalledTimes(1);
  });

  it('ends a wait when the signal of the call aborts, with its reason, leaving no timer', async () => {
    const clock = createTestClock();
    const policy = createRetry({ clock, initialDelayMs: 1_000 });
    const controller = new AbortController();
    const { fn } = flaky(clock, 5);
    const result = policy.execute(fn, controller.signal);
    await clock.advanceAsync(10);
    controller.abort(new Error('shutting down'));
    await expect(result).rejects.toThrow('shutting down');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('tells the onRetry option and every subscriber about each wait, until a subscriber disposes', async () => {
    const clock = createTestClock();
    const error = new Error('down');
    const given = vi.fn();
    const policy = createRetry({ clock, initialDelayMs: 100, jitter: 'none', onRetry: given });
    const listener = vi.fn();
    const dispose = policy.onRetry(listener);
    const first = policy.execute(flaky(clock, 1, error).fn);
    await clock.runAllAsync();
    await first;
    dispose();
    const second = policy.execute(flaky(clock, 1, error).fn);
    await clock.runAllAsync();
    await second;
    expect(listener.mock.calls).toEqual([[{ attempt: 1, delayMs: 100, error }]]);
    expect(given).toHaveBeenCalledTimes(2);
  });

  it('runs every attempt through the breaker, whose refusals count as failed attempts', async () => {
    const clock = createTestClock();
    const breaker = createBreaker({ failureThreshold: 2, clock });
    const policy = createRetry({ clock, maxAttempts: 4, initialDelayMs: 10, jitter: 'none', breaker });
    const { fn } = flaky(clock, 10);
    const result = policy.execute(fn);
    const settled = expect(result).rejects.toMatchObject({ code: 'STARTUP_ERR_BREAKER_OPEN' });
    await clock.runAllAsync();
    await settled;
    // Two failures opened the circuit: the third and fourth attempts never reached fn.
    expect(fn).toHaveBeenCalledTimes(2);
    expect(breaker.state).toBe('OPEN');
  });

  it('counts a success through the breaker', async () => {
    const clock = createTestClock();
    const breaker = createBreaker({ failureThreshold: 2, clock });
    const policy = createRetry({ clock, initialDelayMs: 10, jitter: 'none', breaker });
    const result = policy.execute(flaky(clock, 1).fn);
    await clock.runAllAsync();
    await expect(result).resolves.toBe('ok after 2');
    expect(breaker.toJSON()).toMatchObject({ state: 'CLOSED', failures: 0 });
  });
});

describe('retry with options written in the call', () => {
  it('follows each call’s own values when calls alternate between policies', async () => {
    const clock = createTestClock();
    const slow = flaky(clock, 1);
    const fast = flaky(clock, 1);
    const a = retry(slow.fn, { clock, initialDelayMs: 500, jitter: 'none' });
    const b = retry(fast.fn, { clock, initialDelayMs: 20, jitter: 'none' });
    await clock.runAllAsync();
    await Promise.all([a, b]);
    expect(slow.starts).toEqual([0, 500]);
    expect(fast.starts).toEqual([0, 20]);
  });

  it('compares jitter by value, so a changed object written in the call is honoured', async () => {
    const clock = createTestClock();
    const jitter = { additiveMs: 0 };
    const first = flaky(clock, 1);
    const run1 = retry(first.fn, { clock, initialDelayMs: 100, jitter, random: () => 1 });
    await clock.runAllAsync();
    await run1;
    jitter.additiveMs = 50;
    const second = flaky(clock, 1);
    const run2 = retry(second.fn, { clock, initialDelayMs: 100, jitter, random: () => 1 });
    await clock.runAllAsync();
    await run2;
    expect(first.starts[1]! - first.starts[0]!).toBe(100);
    expect(second.starts[1]! - second.starts[0]!).toBe(150);
  });

  it('still rejects a misspelt or bad option after the same values were accepted', async () => {
    await expect(retry(async () => 1, { maxAttempts: 3 })).resolves.toBe(1);
    await expect(retry(async () => 1, { maxAttempts: 3, maxAttempt: 3 } as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining('"retry.maxAttempt"'),
    });
    await expect(retry(async () => 1, { maxAttempts: 3 })).resolves.toBe(1);
    await expect(retry(async () => 1, { maxAttempts: 0 })).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
    });
    await expect(retry(async () => 1, [] as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
    });
  });

  it('checks a key misspelt in place of a remembered one, and an own key that was only inherited before', async () => {
    const signal = new AbortController().signal;
    await expect(retry(async () => 1, { maxAttempts: 3, signal })).resolves.toBe(1);
    await expect(retry(async () => 1, { maxAttempts: 3, sginal: signal } as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining('"retry.sginal"'),
    });
    await expect(retry(async () => 1, { signal, maxAttempts: 3 })).resolves.toBe(1);
    await expect(retry(async () => 1, { maxAttempts: 3 })).resolves.toBe(1);
    // Own keys are checked: an inherited one is not, yet an own key of the same name later is.
    const inherited = Object.assign(Object.create({ extra: 1 }), { maxAttempts: 3 });
    await expect(retry(async () => 1, inherited)).resolves.toBe(1);
    await expect(retry(async () => 1, { maxAttempts: 3, extra: 1 } as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining('"retry.extra"'),
    });
  });
});
