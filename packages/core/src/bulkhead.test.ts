import { delay, useFakeTime } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { createBulkhead } from './bulkhead.js';
import { isStartupError } from './errors.js';
import { type AnyPlugin, definePlugin } from './plugin.js';
import { createStartup } from './runner.js';

/** A call that stays running until its `finish` is called. */
function gate() {
  let finish!: (value: string) => void;
  const promise = new Promise<string>((resolve) => {
    finish = resolve;
  });
  return { promise, finish };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('createBulkhead', () => {
  it('runs at most maxConcurrent calls and starts the waiting ones in arrival order', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2 });
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, i) =>
      bulkhead.execute(() => {
        started.push(i);
        return g.promise;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(bulkhead.toJSON()).toEqual({
      name: 'bulkhead',
      maxConcurrent: 2,
      maxQueue: null,
      running: 2,
      queued: 2,
    });
    gates[1]!.finish('b');
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.finish('a');
    gates[2]!.finish('c');
    gates[3]!.finish('d');
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([bulkhead.running, bulkhead.queued]).toEqual([0, 0]);
  });

  it('rejects at once with STARTUP_ERR_BULKHEAD_FULL when the queue is full, and tells onReject', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 1, name: 'postgres' });
    const seen: string[] = [];
    bulkhead.onReject((error) => seen.push(error.code));
    const first = gate();
    const running = bulkhead.execute(() => first.promise);
    const queued = bulkhead.execute(() => 'queued');
    await expect(bulkhead.execute(() => 'third')).rejects.toMatchObject({
      code: 'STARTUP_ERR_BULKHEAD_FULL',
      retryable: true,
    });
    expect(seen).toEqual(['STARTUP_ERR_BULKHEAD_FULL']);
    first.finish('first');
    expect([await running, await queued]).toEqual(['first', 'queued']);
  });

  it('takes a waiting call out of the queue when its signal aborts, and frees its place', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const first = gate();
    const running = bulkhead.execute(() => first.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = bulkhead.execute(() => {
      ran = true;
    }, controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(bulkhead.queued).toBe(0);
    // The place it held in the queue is free again.
    const next = bulkhead.execute(() => 'next');
    first.finish('first');
    expect([await running, await next, ran]).toEqual(['first', 'next', false]);
  });

  it('acquire waits in the same queue, hands the place over in order, and a second free does nothing', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    const freeFirst = await bulkhead.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const second = bulkhead.acquire().then((free) => {
      order.push('second');
      return free;
    });
    const leaving = bulkhead.acquire(controller.signal);
    const third = bulkhead.execute(() => {
      order.push('third');
    });
    expect(bulkhead.queued).toBe(3);
    controller.abort(new Error('left'));
    await expect(leaving).rejects.toThrow('left');
    expect(bulkhead.queued).toBe(2);
    freeFirst();
    freeFirst();
    const freeSecond = await second;
    expect([bulkhead.running, bulkhead.queued, order]).toEqual([1, 1, ['second']]);
    freeSecond();
    await third;
    expect(order).toEqual(['second', 'third']);
    expect([bulkhead.running, bulkhead.queued]).toEqual([0, 0]);
  });

  it('rejects with the reason of an already aborted signal without running the call', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    let ran = false;
    await expect(
      bulkhead.execute(
        () => {
          ran = true;
        },
        AbortSignal.abort(new Error('already')),
      ),
    ).rejects.toThrow('already');
    expect(ran).toBe(false);
  });

  it('frees the place of a call that throws', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    await expect(
      bulkhead.execute(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await bulkhead.execute(() => 'after')).toBe('after');
    expect(bulkhead.running).toBe(0);
  });

  it.each([
    [{}, 'maxConcurrent'],
    [{ maxConcurrent: 0 }, 'maxConcurrent'],
    [{ maxConcurrent: 1.5 }, 'maxConcurrent'],
    [{ maxConcurrent: 2, maxQueue: -1 }, 'maxQueue'],
    [{ maxConcurrent: 2, name: '' }, 'name'],
    [{ maxConcurrent: 2, maxConcurent: 3 }, 'maxConcurent'],
  ])('rejects %o naming "%s"', (options, field) => {
    let error: unknown;
    try {
      createBulkhead(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION' });
    expect((error as Error).message).toContain(`"${field}"`);
  });
});

describe('a bulkhead shared by plugins', () => {
  useFakeTime();

  function connector(
    name: string,
    ms: number,
    extra: Partial<AnyPlugin>,
    log: { running: number; peak: number },
  ) {
    return definePlugin({
      name,
      async init({ signal }) {
        log.running++;
        log.peak = Math.max(log.peak, log.running);
        try {
          await delay(ms, signal);
        } finally {
          log.running--;
        }
        return name;
      },
      ...extra,
    });
  }

  it('never runs more handshakes at once than the bulkhead allows, and reports the wait', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, name: 'postgres' });
    const log = { running: 0, peak: 0 };
    const plugins = Array.from({ length: 6 }, (_, i) => connector(`repo${i}`, 100, { bulkhead }, log));
    const app = createStartup(plugins);
    const started = app.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await started;
    expect(log.peak).toBe(2);
    const report = app.report();
    expect(report.wallMs).toBe(300);
    expect(report.plugins.map((p) => p.attempts[0]!.waitedMs)).toEqual([0, 0, 100, 100, 200, 200]);
  });

  it('retries an attempt turned away by a full queue like any failed attempt', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueue: 0 });
    const log = { running: 0, peak: 0 };
    const retry = { maxAttempts: 5, initialDelayMs: 100, jitter: 'none' as const };
    const app = createStartup([
      connector('a', 150, { bulkhead, retry }, log),
      connector('b', 150, { bulkhead, retry }, log),
    ]);
    const started = app.start();
    await vi.advanceTimersByTimeAsync(2_000);
    await started;
    const b = app.report().plugins[1]!;
    expect(b.attempts[0]!.error?.code).toBe('STARTUP_ERR_BULKHEAD_FULL');
    expect(b.status).toBe('ready');
    expect(log.peak).toBe(1);
  });

  it('leaves the queue when the plugin times out while waiting', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    const log = { running: 0, peak: 0 };
    const app = createStartup([
      connector('slow', 1_000, { bulkhead }, log),
      connector('waiter', 10, { bulkhead, optional: true, timeouts: { pluginMs: 200 } }, log),
    ]);
    const started = app.start();
    await vi.advanceTimersByTimeAsync(300);
    expect(bulkhead.queued).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await started;
    const waiter = app.report().plugins[1]!;
    expect(waiter.status).toBe('failed');
    expect(waiter.error?.code).toBe('STARTUP_ERR_PLUGIN_TIMEOUT');
    expect(bulkhead.running).toBe(0);
  });

  it('rejects a plugin whose bulkhead is not one, naming the plugin, before anything starts', () => {
    let error: unknown;
    try {
      createStartup([{ name: 'pg', init: () => 1, bulkhead: { maxConcurrent: 2 } as never }]);
    } catch (e) {
      error = e;
    }
    expect(isStartupError(error) && error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error).toMatchObject({ plugin: 'pg' });
    expect((error as Error).message).toContain('"bulkhead"');
  });
});
