import { createStartup, isStartupError, type StartupFailedError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  eventually,
  expectNothingLeft,
  type HandleWatch,
  redisAdmin,
  redisClientsNamed,
  redisUrl,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisPluginOptions, redis } from '../src/index.js';

const admin = redisAdmin();
let proxy: FaultProxy;
let name = '';
let handlesBefore: HandleWatch;

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  await admin.quit();
});
beforeEach(async () => {
  name = uniqueName('runner');
  handlesBefore = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(redisUrl) });
});
afterEach(async () => {
  await proxy.close();
  expect(await redisClientsNamed(admin, name)).toEqual([]);
  await expectNothingLeft(handlesBefore);
});

function app(options: RedisPluginOptions<'redis'> = {}) {
  return createStartup(
    [
      redis({
        host: '127.0.0.1',
        port: proxy.port,
        connectionName: name,
        connectTimeoutMs: 400,
        retry: { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 1_000 },
        ...options,
      }),
    ],
    { health: { cacheMs: 0, timeoutMs: 500 } },
  );
}

async function startFailure(startup: ReturnType<typeof app>): Promise<StartupFailedError> {
  const error = await startup.start().then(
    () => new Error('expected the start to fail'),
    (e: unknown) => e,
  );
  if (!isStartupError(error)) throw error;
  return error as StartupFailedError;
}

describe('redis plugin in a start run by core', () => {
  it('starts, reports its steps and health, and stops leaving nothing behind', async () => {
    const startup = app();
    const { redis: client } = await startup.start();
    expect(client).toBeInstanceOf(Redis);
    const [plugin] = startup.report().plugins;
    expect(plugin).toMatchObject({ name: 'redis', status: 'ready', attempts: [{ attempt: 1 }] });
    expect(plugin?.steps.map((s) => s.name)).toEqual(['connect', 'verify']);
    const health = await startup.health();
    expect(health.status).toBe('pass');
    expect(health.checks.redis?.details).toMatchObject({ status: 'ready' });
    expect(await redisClientsNamed(admin, name)).toHaveLength(1);
    await startup.stop();
    expect(client.status).toBe('end');
  });

  it('fails with the coded cause after retrying a server that stays down', async () => {
    await proxy.refuse();
    const error = await startFailure(
      app({ retry: { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 300 } }),
    );
    expect(error.code).toBe('STARTUP_ERR_FAILED');
    expect(error.failures[0]).toMatchObject({ plugin: 'redis', code: 'STARTUP_ERR_PLUGIN_FAILED' });
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_REDIS_UNAVAILABLE' });
    expect(error.failures[0]?.message).toContain('ECONNREFUSED');
  });

  it('does not retry an error retrying cannot fix', async () => {
    const startup = createStartup([
      redis({
        ...addressOf(redisUrl),
        db: 99,
        connectionName: name,
        retry: { initialDelayMs: 20 },
      }),
    ]);
    const error = await startFailure(startup);
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_REDIS_DB_INDEX', retryable: false });
    expect(startup.report().plugins[0]?.attempts).toHaveLength(1);
  });

  it('says in the start-up error why its attempts failed when the deadline cuts them short', async () => {
    await proxy.refuse();
    const startup = createStartup(
      [
        redis({
          host: '127.0.0.1',
          port: proxy.port,
          connectionName: name,
          retry: { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 60_000 },
        }),
      ],
      { deadlineMs: 500 },
    );
    const error = await startFailure(startup);
    expect(error.code).toBe('STARTUP_ERR_DEADLINE');
    expect(error.message).not.toContain('?:');
    expect(error.message).toMatch(
      new RegExp(
        `\\n {2}- redis: \\[STARTUP_ERR_ABORTED\\] .*attempt \\d+ failed: .*ECONNREFUSED 127\\.0\\.0\\.1:${proxy.port}`,
      ),
    );
  });

  it('is aborted by the attempt timeout on a server that never answers, and retried', async () => {
    proxy.blackhole();
    const startup = app({
      connectTimeoutMs: 10_000,
      timeouts: { attemptMs: 200 },
      retry: { initialDelayMs: 20, maxDelayMs: 50, maxAttempts: 2 },
    });
    const error = await startFailure(startup);
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_ATTEMPT_TIMEOUT' });
    expect(startup.report().plugins[0]?.attempts).toHaveLength(2);
    // Core rejects an aborted attempt at once, without waiting for init's clean-up: give it its moment.
    await eventually(() => proxy.connections === 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('reports a server that dies while running, opens its breaker, and recovers when it is back', async () => {
    const startup = app({ breaker: { failureThreshold: 2, openMs: 100 } });
    const seen: string[] = [];
    startup.on('plugin:down', () => seen.push('down'));
    startup.on('plugin:up', () => seen.push('up'));
    startup.on('breaker:state', ({ to }) => seen.push(to));
    await startup.start();
    try {
      await proxy.refuse();
      await eventually(() => seen.includes('down'));
      const down = await startup.health();
      expect(down.status).toBe('fail');
      // The reported outage, not the check's own error, until the plugin reports up().
      expect(down.checks.redis?.error?.message).toContain('connection lost');
      await startup.health();
      expect(seen).toContain('OPEN');

      await proxy.accept();
      await eventually(() => seen.includes('up'));
      await eventually(async () => (await startup.health()).status === 'pass');
      expect(startup.breaker('redis').state).toBe('CLOSED');
      expect(seen.indexOf('down')).toBeLessThan(seen.indexOf('OPEN'));
      expect(seen.lastIndexOf('CLOSED')).toBeGreaterThan(seen.indexOf('OPEN'));
    } finally {
      await startup.stop();
    }
  });
});
