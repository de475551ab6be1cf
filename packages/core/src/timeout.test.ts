import { createTestClock } from '@startup/test-kit/clock';
import { describe, expect, it } from 'vitest';
import type { AnyPlugin } from './plugin.js';
import { createStartup } from './runner.js';

/** A plugin whose `init` settles only when its signal aborts. */
const hanging = (): AnyPlugin => ({
  name: 'hang',
  retry: false,
  init: ({ signal }) =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
});

describe('bounded calls', () => {
  it('arms a timer for an attempt only when its timeout is finite', async () => {
    for (const [attemptTimeoutMs, timers] of [
      [Number.POSITIVE_INFINITY, 0],
      [500, 1],
    ] as const) {
      const clock = createTestClock();
      const app = createStartup([hanging()], {
        clock,
        deadlineMs: Number.POSITIVE_INFINITY,
        defaults: { attemptTimeoutMs },
      });
      const started = app.start().catch((error) => error);
      await clock.flush();
      expect(clock.pendingTimers).toBe(timers);
      await app.stop();
      expect((await started).code).toBe('STARTUP_ERR_ABORTED');
      expect(clock.pendingTimers).toBe(0);
    }
  });

  it('rejects the start only once an attempt that timed out has resolved late and been closed', async () => {
    const clock = createTestClock();
    const closed: unknown[] = [];
    let arrive!: (resource: string) => void;
    const app = createStartup(
      [
        {
          name: 'late',
          retry: false,
          timeouts: { attemptMs: 10, closeMs: Number.POSITIVE_INFINITY },
          init: () => new Promise<string>((resolve) => (arrive = resolve)),
          close: (resource) => {
            closed.push(resource);
          },
        },
      ],
      { clock },
    );
    let outcome: { failures: { cause: { code: string } }[] } | undefined;
    void app.start().catch((error) => (outcome = error));
    await clock.advanceAsync(10);
    await clock.flush();
    expect(outcome).toBeUndefined();
    arrive('late-resource');
    await clock.flush();
    expect(closed).toEqual(['late-resource']);
    expect(outcome!.failures[0]!.cause.code).toBe('STARTUP_ERR_ATTEMPT_TIMEOUT');
  });

  it('hands an attempt that reads its signal only after timing out an already aborted one', async () => {
    const clock = createTestClock();
    let kept: { readonly signal: AbortSignal } | undefined;
    const app = createStartup(
      [
        {
          name: 'late-reader',
          retry: false,
          timeouts: { attemptMs: 10, closeMs: 100 },
          init: (ctx) => {
            kept = ctx;
            return new Promise<never>(() => {});
          },
        },
      ],
      { clock },
    );
    const started = app.start().catch((error) => error);
    await clock.advanceAsync(10);
    await clock.advanceAsync(100);
    expect((await started).code).toBe('STARTUP_ERR_FAILED');
    expect(kept!.signal.aborted).toBe(true);
    expect(kept!.signal.reason.code).toBe('STARTUP_ERR_ATTEMPT_TIMEOUT');
  });
});
