import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Fakes `setTimeout`, `clearTimeout`, `performance` and `Date` around every test of the calling file: the
 * runner's default clock reads them, so its timeouts, backoffs and report timings run on fake time.
 */
export function useFakeTime(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Resolves after `ms` milliseconds (of fake time, under {@link useFakeTime}); rejects as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
