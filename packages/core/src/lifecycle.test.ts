import { EventEmitter } from 'node:events';
import { delay, useFakeTime } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import type { StartupFailedError } from './errors.js';
import type { AnyPlugin } from './plugin.js';
import { createStartup } from './runner.js';

// The edges of the life cycle: stop() and aborts arriving from event listeners, forced stops during a
// rollback, the outside signal aborted before the start, and what health and runtime reports say around them.

useFakeTime();

function plugin(name: string, log: string[], extra: Partial<AnyPlugin> = {}): AnyPlugin {
  return {
    name,
    init: async ({ signal }) => {
      log.push(`init:${name}`);
      await delay(10, signal);
      return name;
    },
    close: () => {
      log.push(`close:${name}`);
    },
    ...extra,
  };
}

/** Settles `promise` after advancing fake time by `ms`; returns the value or the error. */
async function outcome<T>(promise: Promise<T>, ms = 10_000): Promise<T | StartupFailedError> {
  const settled = promise.catch((error: StartupFailedError) => error);
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

describe('stop() called from an event listener', () => {
  it('on plugin:ready: launches no dependent, closes what started once, and the start rejects', async () => {
    const log: string[] = [];
    const app = createStartup([plugin('db', log), plugin('api', log, { dependsOn: ['db'] })]);
    let stopping: Promise<void> | undefined;
    app.on('plugin:ready', () => {
      stopping ??= app.stop({ reason: 'listener' });
    });
    const error = (await outcome(app.start())) as StartupFailedError;
    await stopping;
    expect(error.code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual(['init:db', 'close:db']);
    expect(app.report().plugins.map((p) => p.status)).toEqual(['ready', 'aborted']);
    expect(app.state).toBe('stopped');
  });

  it('on plugin:start: the plugin never runs its init', async () => {
    const log: string[] = [];
    const app = createStartup([plugin('db', log)]);
    app.on('plugin:start', () => void app.stop());
    const error = (await outcome(app.start())) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual([]);
  });

  it('on plugin:attempt: the attempt does not run', async () => {
    const log: string[] = [];
    const app = createStartup([plugin('db', log)]);
    app.on('plugin:attempt', () => void app.stop());
    const error = (await outcome(app.start(), 0)) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual([]);
  });

  it('on plugin:retry: the backoff wait is not served', async () => {
    const app = createStartup([
      {
        name: 'db',
        retry: { initialDelayMs: 5_000, jitter: 'none' },
        init: () => Promise.reject(new Error('refused')),
      },
    ]);
    app.on('plugin:retry', () => void app.stop());
    const error = (await outcome(app.start(), 10)) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_ABORTED');
    expect(app.report().plugins[0]!.attempts).toHaveLength(1);
  });

  it('on an optional plugin:failed: the start rejects instead of resolving degraded', async () => {
    const log: string[] = [];
    const app = createStartup([
      plugin('cache', log, { optional: true, retry: false, init: () => Promise.reject(new Error('down')) }),
    ]);
    app.on('plugin:failed', () => void app.stop());
    const error = (await outcome(app.start())) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_ABORTED');
  });
});

describe('an outside signal aborted before start()', () => {
  it('calls no init and rejects, even with no plugins', async () => {
    const log: string[] = [];
    const signal = AbortSignal.abort(new Error('SIGTERM before start'));
    const app = createStartup([plugin('db', log)], { signal });
    expect(((await outcome(app.start())) as StartupFailedError).code).toBe('STARTUP_ERR_ABORTED');
    expect(log).toEqual([]);
    const empty = createStartup([], { signal });
    expect(((await outcome(empty.start())) as StartupFailedError).code).toBe('STARTUP_ERR_ABORTED');
  });
});

describe('a forced stop', () => {
  const hangingClose = (log: string[]) =>
    plugin('db', log, {
      close: (_resource, { signal }) => {
        log.push('close:db');
        return new Promise<void>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
      timeouts: { closeMs: 3_000 },
    });

  it('cuts short the rollback of a start that failed on its own', async () => {
    const log: string[] = [];
    const failing: AnyPlugin = {
      name: 'broken',
      dependsOn: ['db'],
      retry: false,
      init: () => Promise.reject(new Error('bad')),
    };
    const app = createStartup([hangingClose(log), failing]);
    const start = app.start().catch((e: StartupFailedError) => e);
    await vi.advanceTimersByTimeAsync(20);
    expect(log).toEqual(['init:db', 'close:db']);
    const force = new AbortController();
    const stop = app.stop({ force: force.signal }).catch((e: StartupFailedError) => e);
    force.abort(new Error('second SIGTERM'));
    await vi.advanceTimersByTimeAsync(0);
    const error = (await start) as StartupFailedError;
    expect(error.failures.map((f) => f.code)).toEqual(['STARTUP_ERR_PLUGIN_FAILED', 'STARTUP_ERR_SHUTDOWN']);
    expect(error.failures[1]!.message).toContain('second SIGTERM');
    await stop;
  });

  it('given to a later stop() call, cuts short the shutdown the first call began', async () => {
    const log: string[] = [];
    const app = createStartup([hangingClose(log)]);
    await outcome(app.start(), 20);
    const first = app.stop().catch((e: StartupFailedError) => e);
    const force = new AbortController();
    const second = app.stop({ force: force.signal }).catch((e: StartupFailedError) => e);
    await vi.advanceTimersByTimeAsync(10);
    force.abort(new Error('second SIGTERM'));
    await vi.advanceTimersByTimeAsync(0);
    expect(await first).toBe(await second);
    expect(((await first) as StartupFailedError).failures[0]!.message).toContain('second SIGTERM');
  });
});

describe('stop() during a start', () => {
  it('rejects with the errors of the rollback closes', async () => {
    const log: string[] = [];
    const app = createStartup([
      plugin('db', log, {
        close: () => {
          throw new Error('close refused');
        },
      }),
      plugin('slow', log, { init: ({ signal }) => delay(10_000, signal) }),
    ]);
    const start = app.start().catch((e: StartupFailedError) => e);
    await vi.advanceTimersByTimeAsync(20);
    const stopped = (await outcome(app.stop())) as StartupFailedError;
    expect(stopped.code).toBe('STARTUP_ERR_SHUTDOWN');
    expect(stopped.failures.map((f) => [f.plugin, f.code])).toEqual([['db', 'STARTUP_ERR_SHUTDOWN']]);
    expect((await start).code).toBe('STARTUP_ERR_ABORTED');
  });
});

describe('health around the life cycle', () => {
  it('never serves a result cached in another state', async () => {
    const log: string[] = [];
    const app = createStartup([plugin('db', log, { healthCheck: () => ({ ok: true }) })], {
      health: { cacheMs: 60_000 },
    });
    const start = app.start();
    const during = await app.health();
    expect(during.status).toBe('fail');
    await outcome(start, 20);
    const ready = await app.health();
    expect([ready.status, ready.cached]).toEqual(['pass', false]);
    await app.stop();
    const after = await app.health();
    expect([after.status, after.cached, after.checks.db!.error?.message]).toEqual(['fail', false, 'closed']);
  });
});

describe('health during shutdown', () => {
  it('does not reach a backend that is closing', async () => {
    let checks = 0;
    let release!: () => void;
    const app = createStartup([
      {
        name: 'db',
        init: () => 'db',
        healthCheck: () => {
          checks++;
        },
        close: () => new Promise<void>((resolve) => (release = resolve)),
      },
    ]);
    await outcome(app.start(), 0);
    const stop = app.stop();
    await vi.advanceTimersByTimeAsync(0);
    const during = await app.health();
    expect([during.status, during.checks.db!.error?.message, checks]).toEqual(['fail', 'closing', 0]);
    release();
    await stop;
  });
});

describe('runtime reports', () => {
  it('up() closes a breaker the outage opened: health checks reach the service again at once', async () => {
    let healthy = false;
    const app = createStartup([
      {
        name: 'redis',
        init: (ctx) => ctx.runtime,
        healthCheck: () => {
          if (!healthy) throw new Error('connection lost');
        },
        breaker: { failureThreshold: 1, openMs: 60_000 },
      },
    ]);
    const { redis: runtime } = await app.start();
    runtime.down(new Error('connection lost'));
    expect(app.breaker('redis').state).toBe('OPEN');
    healthy = true;
    runtime.up();
    expect(app.breaker('redis').state).toBe('CLOSED');
    expect((await app.health()).status).toBe('pass');
  });

  it('down() after stop() is ignored', async () => {
    const app = createStartup([{ name: 'redis', init: (ctx) => ctx.runtime }]);
    const { redis: runtime } = await app.start();
    await app.stop();
    const events: string[] = [];
    app.on('plugin:down', (e) => events.push(e.plugin));
    runtime.down(new Error('socket closed'));
    expect(events).toEqual([]);
    expect(app.breaker('redis').state).toBe('CLOSED');
  });
});

describe('runtime down() reports', () => {
  it('count once per outage, and again only when the reason changes', async () => {
    const app = createStartup([{ name: 'nats', init: (ctx) => ctx.runtime }]);
    const { nats: runtime } = await app.start();
    const codes: (string | undefined)[] = [];
    app.on('plugin:down', (e) => codes.push(e.error?.code));
    const lost = (code: string) => Object.assign(new Error(code), { code });
    runtime.down(lost('NATS_DISCONNECTED'));
    runtime.down(lost('NATS_DISCONNECTED'));
    runtime.down(lost('NATS_CLOSED'));
    expect(codes).toEqual(['NATS_DISCONNECTED', 'NATS_CLOSED']);
    expect((await app.health()).checks.nats!.error?.code).toBe('NATS_CLOSED');
  });
});

describe('the force signal given to stop()', () => {
  it('is listened to once per signal, and left clean once the shutdown is over', async () => {
    const force = new AbortController();
    const apps = [0, 1, 2].map(() => createStartup([{ name: 'db', init: () => 'db' }]));
    for (const app of apps) await outcome(app.start(), 0);
    const stops = apps.flatMap((app) => [
      app.stop({ force: force.signal }),
      app.stop({ force: force.signal }),
    ]);
    expect(EventEmitter.getEventListeners(force.signal, 'abort')).toHaveLength(3);
    await Promise.all(stops);
    expect(EventEmitter.getEventListeners(force.signal, 'abort')).toHaveLength(0);
  });

  it('must be an AbortSignal', async () => {
    const app = createStartup([{ name: 'db', init: () => 'db' }]);
    await expect(app.stop({ force: true as never })).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining('"force"'),
    });
  });
});

describe('stop() from a shutdown:start listener', () => {
  it('joins the shutdown in progress: each plugin closes once', async () => {
    const log: string[] = [];
    const app = createStartup([plugin('a', log), plugin('b', log, { dependsOn: ['a'] })]);
    await outcome(app.start(), 30);
    let again: Promise<void> | undefined;
    app.on('shutdown:start', () => {
      again = app.stop();
    });
    const stop = app.stop();
    await stop;
    expect(again).toBe(stop);
    expect(log.filter((line) => line.startsWith('close'))).toEqual(['close:b', 'close:a']);
  });
});

describe('health during the rollback of a start stopped midway', () => {
  it('reaches no backend, and serves no result cached before stop()', async () => {
    let checks = 0;
    const app = createStartup([
      { name: 'db', init: () => 'db', healthCheck: () => void checks++, close: () => delay(100) },
      { name: 'slow', init: ({ signal }) => delay(10_000, signal) },
    ]);
    const start = app.start().catch((e: StartupFailedError) => e);
    await vi.advanceTimersByTimeAsync(5);
    await app.health();
    expect(checks).toBe(1);
    const stop = app.stop();
    await vi.advanceTimersByTimeAsync(10);
    const during = await app.health();
    expect([during.checks.db!.status, during.checks.db!.error?.message, during.cached, checks]).toEqual([
      'fail',
      'closing',
      false,
      1,
    ]);
    await vi.advanceTimersByTimeAsync(100);
    await stop;
    await start;
  });
});

describe('a stop forced at once', () => {
  it('does not report an attempt that honoured its signal as still running', async () => {
    const app = createStartup([
      {
        name: 'slow',
        init: ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    ]);
    const start = app.start().catch((e: StartupFailedError) => e);
    await vi.advanceTimersByTimeAsync(5);
    const force = new AbortController();
    const stop = app.stop({ force: force.signal });
    force.abort(new Error('second SIGTERM'));
    await stop;
    expect(((await start) as StartupFailedError).failures.map((f) => f.code)).toEqual([
      'STARTUP_ERR_ABORTED',
      'STARTUP_ERR_ABORTED',
    ]);
  });
});

describe('a step named with something else than a string', () => {
  it('is recorded under its name as a string', async () => {
    const app = createStartup([{ name: 'db', init: ({ step }) => step(42 as never, () => 'db') }]);
    await outcome(app.start(), 0);
    expect(app.report().plugins[0]!.steps.map((s) => s.name)).toEqual(['42']);
  });
});
