import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bounded } from './bounded.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('bounded', () => {
  it('settles like the work when it finishes in time', async () => {
    await expect(
      bounded(Promise.resolve(7), new AbortController().signal, { ms: 10, error: () => 'late' }),
    ).resolves.toBe(7);
    await expect(bounded(Promise.reject(new Error('no')), new AbortController().signal)).rejects.toThrow(
      'no',
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the limit error when time runs out', async () => {
    const never = new Promise<never>(() => {});
    const result = bounded(never, new AbortController().signal, {
      ms: 100,
      error: () => new Error('too slow'),
    });
    const assertion = expect(result).rejects.toThrow('too slow');
    await vi.advanceTimersByTimeAsync(100);
    await assertion;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the signal reason when it aborts, clearing its timer', async () => {
    const controller = new AbortController();
    const result = bounded(new Promise<never>(() => {}), controller.signal, {
      ms: 1_000,
      error: () => 'late',
    });
    controller.abort(new Error('cancelled'));
    await expect(result).rejects.toThrow('cancelled');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once on an aborted signal and swallows the late rejection of the work', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already'));
    let fail: (e: Error) => void = () => {};
    const work = new Promise<never>((_, reject) => {
      fail = reject;
    });
    await expect(bounded(work, controller.signal)).rejects.toThrow('already');
    fail(new Error('late'));
    await vi.advanceTimersByTimeAsync(0);
  });
});
