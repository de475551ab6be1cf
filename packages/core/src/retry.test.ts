import { createTestClock, type TestClock } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { isStartupError, StartupError } from './errors.js';
import { type AttemptContext, retry } from './retrier.js';
import {
  backoffDelay,
  defaultRetryPolicy,
  type RetryOptions,
  type RetryPolicy,
  retryPolicy,
} from './retry.js';

/** A random source that returns `values` in turn, then repeats the last one. */
function scripted(...values: number[]) {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] ?? 0;
}

const policy = (options: RetryOptions): RetryPolicy =>
  retryPolicy({ initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, ...options });

/** `fn` for `retry` that fails `failures` times, recording when each attempt started. */
function flaky(clock: TestClock, failures: number, error: unknown = new Error('ECONNREFUSED')) {
  const starts: number[] = [];
  const fn = vi.fn(async ({ attempt }: AttemptContext) => {
    starts.push(clock.now());
    if (attempt <= failures) throw error;
    return `ok after ${attempt}`;
  });
  return { fn, starts };
}

describe('backoffDelay', () => {
  it("'none' is exactly min(initialDelayMs · multiplierⁿ, maxDelayMs)", () => {
    const p = policy({ jitter: 'none' });
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(p, n, 0, scripted(0.9)));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it("'full' is uniform in [0, delay]", () => {
    const p = policy({ jitter: 'full' });
    expect(backoffDelay(p, 3, 0, scripted(0))).toBe(0);
    expect(backoffDelay(p, 3, 0, scripted(0.25))).toBe(100);
    expect(backoffDelay(p, 6, 0, scripted(0.5))).toBe(500);
  });

  it("'equal' is uniform in [delay / 2, delay]", () => {
    const p = policy({ jitter: 'equal' });
    expect(backoffDelay(p, 3, 0, scripted(0))).toBe(200);
    expect(backoffDelay(p, 3, 0, scripted(0.5))).toBe(300);
    expect(backoffDelay(p, 6, 0, scripted(0.5))).toBe(750);
  });

  it("'decorrelated' is uniform in [initialDelayMs, 3 × previous delay], capped at maxDelayMs", () => {
    const p = policy({ jitter: 'decorrelated' });
    expect(backoffDelay(p, 1, 100, scripted(0))).toBe(100);
    expect(backoffDelay(p, 1, 100, scripted(0.5))).toBe(200);
    expect(backoffDelay(p, 2, 200, scripted(0.5))).toBe(350);
    expect(backoffDelay(p, 9, 900, scripted(0.99))).toBe(1_000);
    // A previous delay below the initial one never lowers the floor.
    expect(backoffDelay(p, 2, 10, scripted(0.7))).toBe(100);
  });

  it('{ proportional: f } is uniform in [delay × (1 − f), delay × (1 + f)]', () => {
    const p = policy({ jitter: { proportional: 0.2 } });
    expect(backoffDelay(p, 3, 0, scripted(0))).toBeCloseTo(320, 9);
    expect(backoffDelay(p, 3, 0, scripted(0.5))).toBeCloseTo(400, 9);
    expect(backoffDelay(p, 6, 0, scripted(0.75))).toBeCloseTo(1_100, 9);
  });

  it('{ additiveMs: n } adds uniform [0, n] to the delay', () => {
    const p = policy({ jitter: { additiveMs: 50 } });
    expect(backoffDelay(p, 2, 0, scripted(0))).toBe(200);
    expect(backoffDelay(p, 2, 0, scripted(0.5))).toBe(225);
    expect(backoffDelay(p, 6, 0, scripted(0.5))).toBe(1_025);
  });

  it("expresses the spec's min(base·factorⁿ, max) + uniform(0, 1 s)", () => {
    const origin = retryPolicy({
      initialDelayMs: 1_000,
      multiplier: 2,
      maxDelayMs: 30_000,
      jitter: { additiveMs: 1_000 },
    });
    const r = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    const delays = r.map((x, i) => backoffDelay(origin, i + 1, 0, scripted(x)));
    const expected = r.map((x, i) => Math.min(1_000 * 2 ** i, 30_000) + x * 1_000);
    expect(delays).toEqual(expected);
    expect(delays.at(-1)).toBe(30_700);
  });
  it('keeps a zero initial delay at zero however many failures there were', () => {
    // 0 · 2¹⁰²⁴ is 0 · Infinity = NaN without care.
    const p = retryPolicy({ initialDelayMs: 0, multiplier: 2, jitter: 'none' });
    expect(backoffDelay(p, 1_100, 0, scripted(0.5))).toBe(0);
    expect(backoffDelay(retryPolicy({ ...p, jitter: 'full' }), 5_000, 0, scripted(0.5))).toBe(0);
  });
});

describe('retry', () => {
  it('hands the abort to the attempt in progress and rejects with its reason once the attempt honours it', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const result = retry(
      ({ signal }) =>
        new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      { clock, signal: controller.signal },
    );
    controller.abort(new Error('shutting down'));
    await expect(result).rejects.toThrow('shutting down');
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects a misspelt option instead of running with the defaults', async () => {
    await expect(retry(async () => 1, { maxAttempt: 3 } as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining('"retry.maxAttempt"'),
    });
  });

  it('resolves with the first success without waiting', async () => {
    const clock = createTestClock();
    const { fn } = flaky(clock, 0);
    await expect(retry(fn, { clock })).resolves.toBe('ok after 1');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits the backoff delay between attempts and passes the attempt number and signal', async () => {
    const clock = createTestClock();
    const { fn, starts } = flaky(clock, 3);
    const result = retry(fn, { clock, initialDelayMs: 100, multiplier: 2, jitter: 'none' });
    await clock.runAllAsync();
    await expect(result).resolves.toBe('ok after 4');
    expect(starts).toEqual([0, 100, 300, 700]);
    expect(fn.mock.calls.map(([ctx]) => ctx.attempt)).toEqual([1, 2, 3, 4]);
    expect(fn.mock.calls[0]?.[0].signal).toBeInstanceOf(AbortSignal);
  });

  it('calls onRetry before each wait with the attempt, the delay and the error', async () => {
    const clock = createTestClock();
    const error = new Error('down');
    const { fn } = flaky(clock, 2, error);
    const onRetry = vi.fn();
    const result = retry(fn, {
      clock,
      random: scripted(0.5, 0.25),
      initialDelayMs: 100,
      multiplier: 2,
      jitter: 'full',
      onRetry,
    });
    await clock.runAllAsync();
    await result;
    expect(onRetry.mock.calls).toEqual([
      [{ attempt: 1, delayMs: 50, error }],
      [{ attempt: 2, delayMs: 50, error }],
    ]);
  });

  it('makes at most maxAttempts attempts and rejects with the last error', async () => {
    const clock = createTestClock();
    let n = 0;
    const fn = vi.fn(async () => {
      throw new Error(`failure ${++n}`);
    });
    const result = retry(fn, { clock, maxAttempts: 3, maxElapsedMs: Number.POSITIVE_INFINITY });
    const failure = result.catch((error: unknown) => error);
    await clock.runAllAsync();
    expect(await failure).toEqual(new Error('failure 3'));
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('starts no attempt after maxElapsedMs, counting the time attempts take', async () => {
    const clock = createTestClock();
    const starts: number[] = [];
    const fn = vi.fn(async () => {
      starts.push(clock.now());
      clock.advance(50);
      throw new Error('slow failure');
    });
    const result = retry(fn, {
      clock,
      initialDelayMs: 100,
      multiplier: 2,
      jitter: 'none',
      maxElapsedMs: 1_000,
    });
    const failure = result.catch((error: unknown) => error);
    await clock.runAllAsync();
    expect(await failure).toEqual(new Error('slow failure'));
    // Attempts at 0, 150, 400, 850; the next wait (500 ms, the cap) would start one at 1400.
    expect(starts).toEqual([0, 150, 400, 850]);
  });

  it('stops at once on an error marked retryable: false', async () => {
    const clock = createTestClock();
    const error = new StartupError('PG_28P01', 'password authentication failed', { retryable: false });
    const { fn } = flaky(clock, 5, error);
    const onRetry = vi.fn();
    await expect(retry(fn, { clock, onRetry })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries a StartupError marked retryable: true and any plain error', async () => {
    const clock = createTestClock();
    const { fn } = flaky(clock, 2, new StartupError('X', 'transient', { retryable: true }));
    const result = retry(fn, { clock });
    await clock.runAllAsync();
    await expect(result).resolves.toBe('ok after 3');
  });

  it('stops at once when a custom classifier says the error is not retryable', async () => {
    const clock = createTestClock();
    const { fn } = flaky(clock, 5, new TypeError('bad config'));
    const retryable = vi.fn((error: unknown) => !(error instanceof TypeError));
    await expect(retry(fn, { clock, retryable })).rejects.toBeInstanceOf(TypeError);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(retryable).toHaveBeenCalledWith(expect.any(TypeError));
  });

  it('ends a wait immediately on abort, rejects with the reason and clears the timer', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const { fn } = flaky(clock, 10);
    const result = retry(fn, { clock, signal: controller.signal, initialDelayMs: 20_000, jitter: 'none' });
    await clock.flush();
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('SIGTERM');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not call fn when the signal is aborted before the start', async () => {
    const clock = createTestClock();
    const fn = vi.fn(async () => 'never');
    const reason = new Error('cancelled');
    await expect(retry(fn, { clock, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('rejects with the abort reason, not the attempt error, when aborted during an attempt', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const reason = new Error('deadline');
    const fn = vi.fn(async ({ signal }: AttemptContext) => {
      controller.abort(reason);
      throw new Error(`attempt saw abort: ${signal.aborted}`);
    });
    const onRetry = vi.fn();
    await expect(retry(fn, { clock, signal: controller.signal, onRetry })).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps honouring maxElapsedMs after more than a thousand zero-delay retries', async () => {
    const clock = createTestClock();
    const starts: number[] = [];
    const fn = vi.fn(async () => {
      starts.push(clock.now());
      clock.advance(0.5);
      throw new Error('still down');
    });
    const result = retry(fn, { clock, initialDelayMs: 0, jitter: 'none', maxElapsedMs: 1_000 });
    const failure = result.catch((error: unknown) => error);
    await clock.runAllAsync();
    expect(await failure).toEqual(new Error('still down'));
    expect(Math.max(...starts)).toBeLessThanOrEqual(1_000);
    expect(starts).toHaveLength(2_001);
  });

  it('validates its options before calling fn', async () => {
    const fn = vi.fn(async () => 1);
    await expect(retry(fn, { maxAttempts: 0 })).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
    });
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('retryPolicy', () => {
  it('fills in the defaults, with maxDelayMs at least initialDelayMs', () => {
    expect(retryPolicy()).toEqual(defaultRetryPolicy);
    expect(retryPolicy({ initialDelayMs: 2_000 }).maxDelayMs).toBe(2_000);
    expect(retryPolicy({ maxAttempts: 5, maxElapsedMs: Number.POSITIVE_INFINITY })).toMatchObject({
      maxAttempts: 5,
      maxElapsedMs: Number.POSITIVE_INFINITY,
    });
  });

  it.each<[string, RetryOptions, string]>([
    ['a negative initial delay', { initialDelayMs: -1 }, 'retry.initialDelayMs'],
    ['a NaN initial delay', { initialDelayMs: Number.NaN }, 'retry.initialDelayMs'],
    ['an infinite initial delay', { initialDelayMs: Number.POSITIVE_INFINITY }, 'retry.initialDelayMs'],
    ['a negative maximum delay', { maxDelayMs: -5 }, 'retry.maxDelayMs'],
    ['a maximum delay below the initial one', { initialDelayMs: 500, maxDelayMs: 100 }, 'retry.maxDelayMs'],
    ['zero attempts', { maxAttempts: 0 }, 'retry.maxAttempts'],
    ['a fractional number of attempts', { maxAttempts: 2.5 }, 'retry.maxAttempts'],
    ['NaN attempts', { maxAttempts: Number.NaN }, 'retry.maxAttempts'],
    ['a negative elapsed budget', { maxElapsedMs: -1 }, 'retry.maxElapsedMs'],
    ['a NaN elapsed budget', { maxElapsedMs: Number.NaN }, 'retry.maxElapsedMs'],
    ['a multiplier below 1', { multiplier: 0.5 }, 'retry.multiplier'],
    ['a NaN multiplier', { multiplier: Number.NaN }, 'retry.multiplier'],
    ['an unknown jitter name', { jitter: 'random' as never }, 'retry.jitter'],
    ['an empty jitter object', { jitter: {} as never }, 'retry.jitter'],
    ['a proportional jitter above 1', { jitter: { proportional: 1.5 } }, 'retry.jitter.proportional'],
    ['a negative proportional jitter', { jitter: { proportional: -0.1 } }, 'retry.jitter.proportional'],
    ['a negative additive jitter', { jitter: { additiveMs: -1 } }, 'retry.jitter.additiveMs'],
    ['a NaN additive jitter', { jitter: { additiveMs: Number.NaN } }, 'retry.jitter.additiveMs'],
    ['a classifier that is not a function', { retryable: true as never }, 'retry.retryable'],
  ])('rejects %s with STARTUP_ERR_INVALID_OPTION naming the field', (_, options, field) => {
    let caught: unknown;
    try {
      retryPolicy(options);
    } catch (error) {
      caught = error;
    }
    expect(isStartupError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION', retryable: false });
    expect((caught as Error).message).toContain(`"${field}"`);
  });

  it('names the plugin and uses the given prefix', () => {
    expect(() => retryPolicy({ multiplier: 0 }, { field: 'defaults.retry', plugin: 'postgres' })).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        plugin: 'postgres',
        message: expect.stringMatching(/"defaults\.retry\.multiplier" of plugin "postgres"/),
      }),
    );
    expect(() => retryPolicy({ retryable: 'yes' as never }, { plugin: 'nats' })).toThrow(
      expect.objectContaining({ plugin: 'nats', message: expect.stringContaining('"retry.retryable"') }),
    );
    expect(() => retryPolicy({ initialDelayMs: 9, maxDelayMs: 1 }, { field: 'r', plugin: 'redis' })).toThrow(
      expect.objectContaining({ plugin: 'redis', message: expect.stringContaining('"r.maxDelayMs"') }),
    );
  });
});
