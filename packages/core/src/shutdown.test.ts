import { delay, useFakeTime } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import type { StartupFailedError } from './errors.js';
import type { AnyPlugin } from './plugin.js';
import { createStartup } from './runner.js';

useFakeTime();

function plugin(name: string, log: string[], extra: Partial<AnyPlugin> = {}, closeMs = 10): AnyPlugin {
  return {
    name,
    init: () => name,
    close: async () => {
      log.push(`close:${name}:begin`);
      await delay(closeMs);
      log.push(`close:${name}:end`);
    },
    ...extra,
  };
}

async function started(plugins: AnyPlugin[], options = {}) {
  const app = createStartup(plugins, options);
  const ready = app.start();
  await vi.advanceTimersByTimeAsync(0);
  await ready;
  return app;
}

describe('stop', () => {
  it('closes in reverse dependency order, independent plugins in parallel', async () => {
    const log: string[] = [];
    const app = await started([
      plugin('db', log),
      plugin('cache', log),
      plugin('repo', log, { dependsOn: ['db', 'cache'] }),
      plugin('nats', log),
    ]);
    const stopping = app.stop();
    await vi.advanceTimersByTimeAsync(100);
    await stopping;
    expect(log).toEqual([
      'close:repo:begin',
      'close:nats:begin',
      'close:repo:end',
      'close:db:begin',
      'close:cache:begin',
      'close:nats:end',
      'close:db:end',
      'close:cache:end',
    ]);
    expect(app.state).toBe('stopped');
  });

  it('closes a chain of 10,000 plugins, last first, without nesting a call per link', async () => {
    const closed: number[] = [];
    const app = await started(
      Array.from({ length: 10_000 }, (_, i) => ({
        name: `p${i}`,
        dependsOn: i === 0 ? [] : [`p${i - 1}`],
        init: () => i,
        close: () => void closed.push(i),
      })),
    );
    await app.stop();
    expect(closed).toEqual(Array.from({ length: 10_000 }, (_, i) => 9_999 - i));
    // Ten thousand starts and closes: seconds on a loaded machine.
  }, 30_000);

  it('is idempotent: a second call shares the first and closes nothing twice', async () => {
    const log: string[] = [];
    const app = await started([plugin('db', log)]);
    const a = app.stop();
    const b = app.stop();
    expect(b).toBe(a);
    await vi.advanceTimersByTimeAsync(50);
    await Promise.all([a, b, app[Symbol.asyncDispose]()]);
    expect(log.filter((l) => l.endsWith('begin'))).toEqual(['close:db:begin']);
  });

  it('bounds each close by its timeout and collects errors instead of stopping halfway', async () => {
    const log: string[] = [];
    const app = await started([
      plugin('db', log),
      plugin('stuck', log, { dependsOn: ['db'], timeouts: { closeMs: 100 } }, 60_000),
      plugin('broken', log, {
        dependsOn: ['db'],
        close: () => Promise.reject(new Error('socket already gone')),
      }),
    ]);
    const result = app.stop().catch((e) => e);
    await vi.advanceTimersByTimeAsync(200);
    const error = (await result) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_SHUTDOWN');
    expect(error.failures.map((f) => [f.plugin, f.code])).toEqual([
      ['broken', 'STARTUP_ERR_SHUTDOWN'],
      ['stuck', 'STARTUP_ERR_CLOSE_TIMEOUT'],
    ]);
    expect(log).toContain('close:db:end');
  });

  it('aborts every close at once when forced', async () => {
    const log: string[] = [];
    const force = new AbortController();
    const signals: AbortSignal[] = [];
    const app = await started([
      plugin('db', log, {
        close: (_r, { signal }) => {
          signals.push(signal);
          return new Promise<void>(() => {});
        },
      }),
    ]);
    const result = app.stop({ force: force.signal }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    force.abort(new Error('second SIGTERM'));
    await vi.advanceTimersByTimeAsync(0);
    expect(((await result) as StartupFailedError).code).toBe('STARTUP_ERR_SHUTDOWN');
    expect(signals[0]!.aborted).toBe(true);
  });

  it('cancels a start in progress and closes what had started', async () => {
    const log: string[] = [];
    const slow = plugin('slow', log, { init: ({ signal }) => delay(10_000, signal) });
    const app = createStartup([plugin('db', log), slow]);
    const start = app.start().catch((e) => e);
    await vi.advanceTimersByTimeAsync(5);
    const stop = app.stop({ reason: 'SIGTERM' });
    await vi.advanceTimersByTimeAsync(50);
    await stop;
    expect(((await start) as StartupFailedError).code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual(['close:db:begin', 'close:db:end']);
    expect(app.state).toBe('stopped');
  });

  it('waits for an attempt that ignores its signal, closing what it resolves late, before closing its dependencies', async () => {
    const log: string[] = [];
    const stubborn = plugin('stubborn', log, {
      dependsOn: ['db'],
      init: () => delay(300).then(() => 'conn'),
    });
    const app = createStartup([plugin('db', log), stubborn]);
    let outcome: StartupFailedError | undefined;
    void app.start().catch((e) => (outcome = e));
    await vi.advanceTimersByTimeAsync(5);
    const stop = app.stop({ reason: 'SIGTERM' });
    await vi.advanceTimersByTimeAsync(200);
    expect(outcome).toBeUndefined();
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await stop;
    expect(outcome!.code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual(['close:stubborn:begin', 'close:stubborn:end', 'close:db:begin', 'close:db:end']);
  });

  it('gives up on an abandoned attempt after its close timeout and says so', async () => {
    const log: string[] = [];
    const stuck = plugin('stuck', log, { init: () => new Promise(() => {}), timeouts: { closeMs: 100 } });
    const app = createStartup([plugin('db', log), stuck]);
    const start = app.start().catch((e) => e);
    await vi.advanceTimersByTimeAsync(5);
    const stop = app.stop({ reason: 'SIGTERM' }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(120);
    expect(((await stop) as StartupFailedError).failures.map((f) => f.code)).toEqual([
      'STARTUP_ERR_SHUTDOWN',
    ]);
    const error = (await start) as StartupFailedError;
    expect(error.failures.map((f) => [f.plugin, f.code])).toEqual([
      [undefined, 'STARTUP_ERR_ABORTED'],
      ['stuck', 'STARTUP_ERR_ABORTED'],
      ['stuck', 'STARTUP_ERR_SHUTDOWN'],
    ]);
    expect((error.failures[2]!.cause as { code: string }).code).toBe('STARTUP_ERR_CLOSE_TIMEOUT');
    expect(log).toEqual(['close:db:begin', 'close:db:end']);
  });

  it('stops waiting for an abandoned attempt at once when forced', async () => {
    const log: string[] = [];
    const force = new AbortController();
    const app = createStartup([plugin('stuck', log, { init: () => new Promise(() => {}) })]);
    const start = app.start().catch((e) => e);
    await vi.advanceTimersByTimeAsync(5);
    const stop = app.stop({ reason: 'SIGTERM', force: force.signal }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(5);
    force.abort(new Error('second SIGTERM'));
    await vi.advanceTimersByTimeAsync(0);
    expect(((await stop) as StartupFailedError).code).toBe('STARTUP_ERR_SHUTDOWN');
    const { failures } = (await start) as StartupFailedError;
    expect(failures.map((f) => f.code)).toEqual([
      'STARTUP_ERR_ABORTED',
      'STARTUP_ERR_ABORTED',
      'STARTUP_ERR_SHUTDOWN',
    ]);
    expect((failures[2]!.cause as Error).message).toBe('second SIGTERM');
  });

  it('after a ready start, closes what a timed-out attempt resolved late before the plugin itself', async () => {
    const log: string[] = [];
    let attempt = 0;
    const flaky = plugin('flaky', log, {
      timeouts: { attemptMs: 10 },
      retry: { initialDelayMs: 1, jitter: 'none' },
      close: async (resource) => {
        log.push(`close:${String(resource)}`);
      },
      init: () => (++attempt === 1 ? delay(100).then(() => 'late') : 'live'),
    });
    const app = createStartup([flaky]);
    const ready = app.start();
    await vi.advanceTimersByTimeAsync(20);
    expect(await ready).toEqual({ flaky: 'live' });
    const stop = app.stop();
    await vi.advanceTimersByTimeAsync(50);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    await stop;
    expect(log).toEqual(['close:late', 'close:live']);
  });

  it('does not hold back the close of an unrelated plugin while an abandoned attempt runs', async () => {
    const log: string[] = [];
    let attempt = 0;
    const flaky = plugin('flaky', log, {
      timeouts: { attemptMs: 10, closeMs: 1_000 },
      retry: { initialDelayMs: 1, jitter: 'none' },
      init: () => (++attempt === 1 ? new Promise(() => {}) : 'live'),
    });
    const app = createStartup([flaky, plugin('cache', log)]);
    const ready = app.start();
    await vi.advanceTimersByTimeAsync(20);
    await ready;
    const stop = app.stop().catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(['close:cache:begin', 'close:cache:end']);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = (await stop) as StartupFailedError;
    expect(error.failures.map((f) => [f.plugin, f.code])).toEqual([['flaky', 'STARTUP_ERR_SHUTDOWN']]);
    expect(log).toEqual(['close:cache:begin', 'close:cache:end', 'close:flaky:begin', 'close:flaky:end']);
  });

  it('gives the close of a late resource its own close timeout, and closes the dependency after it', async () => {
    const log: string[] = [];
    const svc = plugin(
      'svc',
      log,
      {
        dependsOn: ['db'],
        timeouts: { closeMs: 400 },
        init: () => delay(300).then(() => 'late'),
      },
      300,
    );
    const app = createStartup([plugin('db', log), svc]);
    const start = app.start().catch((e) => e);
    await vi.advanceTimersByTimeAsync(5);
    const stop = app.stop({ reason: 'SIGTERM' });
    await vi.advanceTimersByTimeAsync(1_000);
    await stop;
    expect(((await start) as StartupFailedError).code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual(['close:svc:begin', 'close:svc:end', 'close:db:begin', 'close:db:end']);
  });

  it('emits shutdown events per plugin and at completion', async () => {
    const log: string[] = [];
    const app = await started([plugin('db', log)]);
    const events: string[] = [];
    app.on('shutdown:start', (e) => events.push(`start:${e.reason}`));
    app.on('shutdown:plugin', (e) => events.push(`plugin:${e.plugin}:${e.durationMs}`));
    app.on('shutdown:complete', (e) => events.push(`complete:${e.errors.length}`));
    const stop = app.stop({ reason: 'test' });
    await vi.advanceTimersByTimeAsync(20);
    await stop;
    expect(events).toEqual(['start:test', 'plugin:db:10', 'complete:0']);
  });

  it('keeps the outcome of the start in the report once stopped', async () => {
    const log: string[] = [];
    const cache: AnyPlugin = {
      name: 'cache',
      optional: true,
      retry: false,
      init: () => Promise.reject(new Error('no cache')),
    };
    const app = await started([plugin('db', log), cache]);
    expect(app.report().status).toBe('degraded');
    const stop = app.stop();
    await vi.advanceTimersByTimeAsync(20);
    await stop;
    expect(app.state).toBe('stopped');
    expect(app.report().status).toBe('degraded');
  });
});
