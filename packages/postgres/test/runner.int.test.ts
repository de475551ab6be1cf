import { createStartup, type StartupFailedError, type StartupOptions } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  expectNothingLeft,
  type HandleWatch,
  postgresConnections,
  postgresConnectionsLeft,
  postgresUrl,
  recordingLogger,
  uniqueName,
  urlWith,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresOptions, postgres } from '../src/index.js';

let applicationName: string;
let proxy: FaultProxy;
let handles: HandleWatch;
const apps: { stop(): Promise<void> }[] = [];

beforeEach(async () => {
  applicationName = uniqueName('postgres');
  handles = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(postgresUrl) });
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await proxy.close();
  expect(await postgresConnectionsLeft(applicationName)).toBe(0);
  await expectNothingLeft(handles);
});

/** Test-sized budgets: short backoff, short attempts, a start that gives up within a second or so. */
const fast: StartupOptions = {
  deadlineMs: 10_000,
  defaults: { retry: { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 800 }, attemptTimeoutMs: 500 },
  health: { timeoutMs: 500, cacheMs: 0 },
};

function app(options: PostgresOptions = {}, startup: StartupOptions = fast) {
  const plugin = postgres({
    url: urlWith(postgresUrl, { host: proxy.host, port: proxy.port }),
    applicationName,
    connectTimeoutMs: 300,
    ...options,
  });
  const started = createStartup([plugin], startup);
  apps.push(started);
  return started;
}

async function startFailure(started: ReturnType<typeof app>): Promise<StartupFailedError> {
  return started.start().then(
    () => {
      throw new Error('start resolved');
    },
    (error: StartupFailedError) => error,
  );
}

describe('postgres() through the core runner', () => {
  it('starts a warmed pool and reports its steps', async () => {
    const started = app({ warmConnections: 3 });
    const { postgres: pool } = await started.start();
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    const report = started.report().plugins[0]!;
    expect(report.status).toBe('ready');
    expect(report.steps.map((s) => s.name)).toEqual(['connect', 'verify', 'warm-up']);
    expect(await postgresConnections(applicationName)).toBe(3);
    const health = await started.health();
    expect(health.status).toBe('pass');
    expect(health.checks.postgres?.details).toMatchObject({ totalCount: 3, waitingCount: 0 });
    await started.stop();
    expect(pool.ended).toBe(true);
  });

  it('retries a server that is down, then fails with a coded error within its budget', async () => {
    await proxy.refuse();
    const error = await startFailure(app());
    expect(error.code).toBe('STARTUP_ERR_FAILED');
    expect(error.failures[0]?.code).toBe('STARTUP_ERR_PLUGIN_FAILED');
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_POSTGRES_UNAVAILABLE' });
    expect(proxy.accepted).toBe(0);
    expect(error.failures[0]?.plugin).toBe('postgres');
  });

  it('becomes ready soon after a server that comes up late', async () => {
    proxy.acceptAt(250);
    const started = app();
    await started.start();
    const report = started.report().plugins[0]!;
    expect(report.attempts.length).toBeGreaterThan(1);
    expect(report.attempts.at(-1)?.error).toBeUndefined();
    expect(report.attempts[0]?.error?.code).toBe('STARTUP_ERR_POSTGRES_UNAVAILABLE');
  });

  it('times out blackholed attempts, retries them and fails clearly', async () => {
    proxy.blackhole();
    const started = app();
    const error = await startFailure(started);
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_POSTGRES_TIMEOUT', retryable: true });
    const attempts = started.report().plugins[0]!.attempts;
    expect(attempts.length).toBeGreaterThan(1);
    expect(proxy.accepted).toBe(attempts.length);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('does not retry a permanent error', async () => {
    const started = createStartup(
      [postgres({ url: urlWith(postgresUrl, { database: 'startup_no_such_db' }), applicationName })],
      fast,
    );
    apps.push(started);
    const error = await startFailure(started);
    expect(error.failures[0]?.cause).toMatchObject({
      code: 'STARTUP_ERR_POSTGRES_DATABASE',
      retryable: false,
    });
    expect(started.report().plugins[0]!.attempts).toHaveLength(1);
  });

  it('fails health and opens the breaker when the server dies, and recovers when it is back', async () => {
    const started = app({ breaker: { failureThreshold: 2, openMs: 200 } });
    const downs: string[] = [];
    started.on('plugin:down', (e) => downs.push(e.error?.code ?? '?'));
    const ups: string[] = [];
    started.on('plugin:up', (e) => ups.push(e.plugin));
    await started.start();

    await proxy.refuse();
    // The pool's idle connections see the cut: one runtime loss, counted by the breaker.
    await expect.poll(() => downs).toEqual(['STARTUP_ERR_POSTGRES_UNAVAILABLE']);
    expect((await started.health()).status).toBe('fail');
    expect(started.breaker('postgres').state).toBe('OPEN');

    await proxy.accept();
    await expect
      .poll(async () => (await started.health()).status, { timeout: 3_000, interval: 100 })
      .toBe('pass');
    expect(started.breaker('postgres').state).toBe('CLOSED');
    expect(ups).toEqual(['postgres']);
  });

  it('passes health while the application holds every pooled client, checking aside without opening the breaker', async () => {
    const started = app(
      { max: 2, warmConnections: 2 },
      { ...fast, health: { timeoutMs: 1_000, cacheMs: 0 } },
    );
    const downs: unknown[] = [];
    started.on('plugin:down', (e) => downs.push(e));
    const { postgres: pool } = await started.start();
    const held = [await pool.connect(), await pool.connect()];
    try {
      for (let check = 0; check < 3; check++) {
        const { status, checks } = await started.health();
        expect(status).toBe('pass');
        expect(checks.postgres?.details).toMatchObject({ saturated: true, totalCount: 2, idleCount: 0 });
      }
      expect(started.breaker('postgres').state).toBe('CLOSED');
      expect(downs).toEqual([]);
      // The checks queued nothing behind the application, and left no connection of their own.
      expect(pool.waitingCount).toBe(0);
      expect(await postgresConnections(applicationName)).toBe(2);
    } finally {
      for (const client of held) client.release();
    }
    expect((await started.health()).checks.postgres?.details).toMatchObject({ saturated: false });
  });

  it('fails health while the pool is saturated and the server is gone', async () => {
    const started = app(
      { max: 2, warmConnections: 2 },
      { ...fast, health: { timeoutMs: 1_000, cacheMs: 0 } },
    );
    const { postgres: pool } = await started.start();
    const held = [await pool.connect(), await pool.connect()];
    try {
      proxy.blackhole();
      const { status, checks } = await started.health();
      expect(status).toBe('fail');
      expect(checks.postgres?.error?.code).toBe('STARTUP_ERR_POSTGRES_TIMEOUT');
    } finally {
      for (const client of held) client.release();
      proxy.forward();
    }
  });

  /** `url` with `secret` as its password, in the user info or as pg's `?password=` parameter. */
  const passwordForms = [
    ['in the user info', (url: string, secret: string) => urlWith(url, { password: secret })],
    ['in ?password=', (url: string, secret: string) => `${url}?password=${secret}`],
  ] as const;

  it.each(passwordForms)(
    'never lets a password %s out, in errors, reports, events or logs',
    async (_, withPassword) => {
      const secret = 'S3cr3t-hunter2';
      const lines: string[] = [];
      const logger = recordingLogger(lines);
      const events: unknown[] = [];
      const good = createStartup([postgres({ url: withPassword(postgresUrl, secret), applicationName })], {
        ...fast,
        logger,
      });
      apps.push(good);
      await good.start();
      events.push(good.report(), await good.health());
      const bad = createStartup(
        [
          postgres({
            url: withPassword(urlWith(postgresUrl, { database: 'startup_no_such_db' }), secret),
            applicationName,
          }),
        ],
        { ...fast, logger },
      );
      apps.push(bad);
      for (const name of ['plugin:retry', 'plugin:failed', 'startup:failed'] as const)
        bad.on(name, (e) => events.push(e));
      const error = await startFailure(bad);
      const everything = [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        JSON.stringify(events),
        ...lines,
      ];
      for (const text of everything) expect(text).not.toContain(secret);
      expect(error.message).toContain('postgres://postgres@');
    },
  );
});
