import { delay, useFakeTime } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import type { AnyPlugin, RuntimeReporter } from './plugin.js';
import { createStartup } from './runner.js';

useFakeTime();

function service(
  name: string,
  state: { healthy: boolean; calls: number; ms?: number },
  extra: Partial<AnyPlugin> = {},
): AnyPlugin {
  return {
    name,
    init: () => name,
    healthCheck: async () => {
      state.calls++;
      await delay(state.ms ?? 5);
      if (!state.healthy) throw new Error(`${name} unreachable`);
      return { idle: 3 };
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

async function health(app: Awaited<ReturnType<typeof started>>) {
  const result = app.health();
  await vi.advanceTimersByTimeAsync(10_000);
  return result;
}

describe('health', () => {
  it('runs every check in parallel and reports each response time and breaker state', async () => {
    const db = { healthy: true, calls: 0, ms: 30 };
    const cache = { healthy: true, calls: 0, ms: 20 };
    const app = await started([service('db', db), service('cache', cache)]);
    const result = app.health();
    await vi.advanceTimersByTimeAsync(30);
    const r = await result;
    expect(r.status).toBe('pass');
    expect(r.durationMs).toBe(30);
    expect(r.checks.db).toMatchObject({
      status: 'pass',
      responseTimeMs: 30,
      details: { idle: 3 },
      breaker: { state: 'CLOSED' },
    });
    expect(r.checks.cache!.responseTimeMs).toBe(20);
  });

  it('fails when a required check fails and warns when only an optional one does', async () => {
    const db = { healthy: true, calls: 0 };
    const cache = { healthy: false, calls: 0 };
    const app = await started([service('db', db), service('cache', cache, { optional: true })], {
      health: { cacheMs: 0 },
    });
    expect((await health(app)).status).toBe('warn');
    db.healthy = false;
    const r = await health(app);
    expect(r.status).toBe('fail');
    expect(r.checks.db!.error!.message).toBe('db unreachable');
  });

  it('bounds a check by its timeout (origin default 5 s)', async () => {
    const db = { healthy: true, calls: 0, ms: 60_000 };
    const app = await started([service('db', db)]);
    const r = await health(app);
    expect(r.checks.db).toMatchObject({
      status: 'fail',
      responseTimeMs: 5_000,
      error: { code: 'STARTUP_ERR_HEALTH_TIMEOUT' },
    });
  });

  it('shares one in-flight run between concurrent callers and caches the result for cacheMs', async () => {
    const db = { healthy: true, calls: 0, ms: 50 };
    const app = await started([service('db', db)], { health: { cacheMs: 1_000 } });
    const all = Promise.all(Array.from({ length: 100 }, () => app.health()));
    await vi.advanceTimersByTimeAsync(50);
    await all;
    expect(db.calls).toBe(1);
    const cached = await app.health();
    expect(cached.cached).toBe(true);
    expect(db.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await health(app);
    expect(db.calls).toBe(2);
  });

  it('opens the breaker after 3 failed checks, then answers without touching the backend', async () => {
    const db = { healthy: false, calls: 0 };
    const app = await started([service('db', db)], { health: { cacheMs: 0 } });
    const transitions: string[] = [];
    app.on('breaker:state', (e) => transitions.push(`${e.from}->${e.to}`));
    for (let i = 0; i < 3; i++) await health(app);
    expect(transitions).toEqual(['CLOSED->OPEN']);
    const r = await health(app);
    expect(db.calls).toBe(3);
    expect(r.checks.db).toMatchObject({
      status: 'fail',
      breaker: { state: 'OPEN' },
      error: { code: 'STARTUP_ERR_BREAKER_OPEN' },
    });
    db.healthy = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await health(app)).status).toBe('pass');
    expect(transitions).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
  });

  it('keeps liveness passing, and readiness from failing on an OPEN breaker alone', async () => {
    const db = { healthy: false, calls: 0 };
    const app = await started([service('db', db)], { health: { cacheMs: 0 } });
    const ready = async () => {
      const r = app.readiness();
      await vi.advanceTimersByTimeAsync(10);
      return (await r).status;
    };
    expect(await ready()).toBe('fail');
    await ready();
    await ready();
    expect(app.breaker('db').state).toBe('OPEN');
    expect(await ready()).toBe('warn');
    expect(await app.readiness({ openBreakerFails: true }).then((r) => r.status)).toBe('fail');
    expect(app.liveness()).toEqual({ status: 'pass', state: 'ready' });
    expect(db.calls).toBe(3);
  });

  it('reports readiness fail until the start completes', async () => {
    const app = createStartup([service('db', { healthy: true, calls: 0 }, { init: () => delay(100) })]);
    void app.start();
    expect((await app.readiness()).status).toBe('fail');
    expect(app.liveness().status).toBe('pass');
    await vi.advanceTimersByTimeAsync(100);
    const r = app.readiness();
    await vi.advanceTimersByTimeAsync(10);
    expect((await r).status).toBe('pass');
  });

  it('reflects runtime loss and recovery reported by the plugin', async () => {
    let reporter: { down(e?: unknown): void; up(): void } | undefined;
    const app = await started(
      [
        {
          name: 'nats',
          init: ({ runtime }) => {
            reporter = runtime;
            return 'nc';
          },
        },
      ],
      { health: { cacheMs: 0 } },
    );
    const events: string[] = [];
    app.on('plugin:down', (e) => events.push(`down:${e.error?.message}`));
    app.on('plugin:up', () => events.push('up'));
    reporter!.down(new Error('connection reset'));
    expect((await health(app)).checks.nats).toMatchObject({
      status: 'fail',
      error: { message: 'connection reset' },
    });
    reporter!.up();
    expect((await health(app)).status).toBe('pass');
    expect(events).toEqual(['down:connection reset', 'up']);
  });

  describe('after runtime.down() on a plugin with a health check', () => {
    async function reported(breaker = {}) {
      const db = { healthy: true, calls: 0 };
      let runtime: RuntimeReporter | undefined;
      const app = await started([
        service('db', db, {
          init: (ctx) => {
            runtime = ctx.runtime;
            return 'db';
          },
          breaker,
        }),
      ]);
      expect((await health(app)).status).toBe('pass');
      runtime!.down(new Error('connection lost: postgres://app:s3cret@db/app'));
      return { app, db, runtime: runtime! };
    }

    it('fails with the reported error, redacted, though the check passes', async () => {
      const { app, db } = await reported();
      const calls = db.calls;
      const result = await health(app);
      expect(result.status).toBe('fail');
      expect(result.checks.db!.error?.message).toBe('connection lost: postgres://app:****@db/app');
      expect(db.calls).toBe(calls + 1);
    });

    it('keeps failing, and keeps the breaker’s count, through passing checks until up()', async () => {
      const { app, runtime } = await reported();
      for (let i = 0; i < 3; i++) {
        expect((await health(app)).checks.db).toMatchObject({ status: 'fail', breaker: { failures: 1 } });
      }
      runtime.up();
      expect((await health(app)).checks.db).toMatchObject({
        status: 'pass',
        breaker: { state: 'CLOSED', failures: 0 },
      });
    });

    it('counts failing checks on the breaker, which then spares the backend', async () => {
      const { app, db } = await reported({ failureThreshold: 3, openMs: 60_000 });
      db.healthy = false;
      await health(app);
      expect((await health(app)).checks.db).toMatchObject({
        status: 'fail',
        error: { message: 'connection lost: postgres://app:****@db/app' },
        breaker: { state: 'OPEN' },
      });
      const calls = db.calls;
      await health(app);
      expect(db.calls).toBe(calls);
    });

    it('is not hidden by a result cached before the report', async () => {
      let runtime: RuntimeReporter | undefined;
      const app = await started([
        service('db', { healthy: true, calls: 0 }, { init: (ctx) => (runtime = ctx.runtime) }),
      ]);
      const first = app.health();
      await vi.advanceTimersByTimeAsync(5);
      expect((await first).status).toBe('pass');
      runtime!.down(new Error('connection lost'));
      const second = app.health();
      await vi.advanceTimersByTimeAsync(5);
      expect(await second).toMatchObject({ status: 'fail', cached: false });
    });
  });
});
