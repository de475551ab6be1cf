import { isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  contextRecord,
  eventually,
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  redisAdmin,
  redisClientsNamed,
  redisUrl,
  resourceContext,
  retriedStart,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import type { Redis } from 'ioredis';
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
  name = uniqueName('fault');
  handlesBefore = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(redisUrl) });
});
afterEach(async () => {
  await proxy.close();
  expect(await redisClientsNamed(admin, name)).toEqual([]);
  await expectNothingLeft(handlesBefore);
});

function plugin(options: RedisPluginOptions<string> = {}) {
  return redis({
    host: '127.0.0.1',
    port: proxy.port,
    connectionName: name,
    connectTimeoutMs: 400,
    ...options,
  });
}

describe('redis plugin through a fault proxy', () => {
  it('retries while the server refuses, then fails with a coded, retryable error', async () => {
    await proxy.refuse();
    const run = retriedStart(plugin(), contextRecord(), { maxElapsedMs: 300 });
    const error = await run.started.catch((e: unknown) => e);
    expect(isStartupError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(run.attempts()).toBeGreaterThan(1);
  });

  it('is ready soon after a server that comes up late starts accepting', async () => {
    proxy.acceptAt(300);
    const p = plugin();
    const record = contextRecord();
    const run = retriedStart(p, record);
    const client = await run.started;
    try {
      expect(client.status).toBe('ready');
      expect(run.attempts()).toBeGreaterThan(1);
      expect(record.steps.at(-2)).toEqual({ name: 'connect', ok: true });
      expect(record.steps.at(-1)).toEqual({ name: 'verify', ok: true });
      expect(await redisClientsNamed(admin, name)).toHaveLength(1);
    } finally {
      await p.close(client, resourceContext());
    }
  });

  it('fails an attempt against a server that never answers within connectTimeoutMs, leaving nothing open', async () => {
    proxy.blackhole();
    const { ctx, record } = pluginContext();
    const error = await plugin()
      .init(ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('within 400 ms');
    expect(record.steps).toMatchObject([{ name: 'connect', ok: false }]);
    await eventually(() => proxy.connections === 0);
  });

  it('gives up at once when core aborts the attempt, with the signal reason, leaving nothing open', async () => {
    proxy.blackhole();
    const controller = new AbortController();
    const reason = new Error('attempt timed out');
    const pending = plugin({ connectTimeoutMs: 10_000 }).init(
      pluginContext({ signal: controller.signal }).ctx,
    );
    await eventually(() => proxy.connections === 1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => proxy.connections === 0);
  });

  it('does not reconnect in the background after a failed attempt', async () => {
    proxy.resetNew(true);
    const error = await plugin()
      .init(pluginContext().ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_UNAVAILABLE' });
    const acceptedAfterFailure = proxy.accepted;
    proxy.resetNew(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxy.accepted).toBe(acceptedAfterFailure);
  });

  describe('when the server dies while running', () => {
    let client: Redis | undefined;
    let p: ReturnType<typeof plugin>;
    afterEach(async () => {
      if (client) await p.close(client, resourceContext());
      client = undefined;
    });

    it('reports the loss, fails its health check, then recovers when the server is back', async () => {
      p = plugin();
      const { ctx, record, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      expect(await p.healthCheck(client, resourceContext())).toMatchObject({ status: 'ready' });

      await proxy.refuse();
      await nextRuntime('down');
      expect(record.runtime).toMatchObject([
        { type: 'down', error: { code: 'STARTUP_ERR_REDIS_UNAVAILABLE' } },
      ]);
      await expect(p.healthCheck(client, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_REDIS_UNAVAILABLE',
      });

      await proxy.accept();
      await nextRuntime('up');
      expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
      expect(await p.healthCheck(client, resourceContext())).toMatchObject({ status: 'ready' });
      expect(await client.get(`${name}:missing`)).toBeNull();
    });

    it('reconnects by itself after the connections are cut and the server still listens', async () => {
      p = plugin();
      const { ctx, record, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      proxy.cutAll();
      await nextRuntime('up');
      expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
      expect(await redisClientsNamed(admin, name)).toHaveLength(1);
    });

    it('queues a command issued while reconnecting and runs it once the server is back', async () => {
      p = plugin();
      const { ctx, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      await proxy.refuse();
      await nextRuntime('down');
      const queued = client.ping();
      await proxy.accept();
      await expect(queued).resolves.toBe('PONG');
    });

    it('keeps a command issued during an outage waiting through failed reconnection attempts', async () => {
      p = plugin();
      const { ctx, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      let failedAttempts = 0;
      client.on('reconnecting', () => failedAttempts++);
      await proxy.refuse();
      await nextRuntime('down');
      const queued = client.ping();
      // About 350 ms of outage with the default backoff (50, 100, 200 ms…).
      await eventually(() => failedAttempts >= 4);
      await proxy.accept();
      await expect(queued).resolves.toBe('PONG');
    });

    it('fails a command still queued after commandTimeoutMs with a timeout', async () => {
      p = plugin({ commandTimeoutMs: 300 });
      const { ctx, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      await proxy.refuse();
      await nextRuntime('down');
      const startedAt = performance.now();
      await expect(client.ping()).rejects.toThrow('Command timed out');
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
      await proxy.accept();
    });

    it('closes cleanly while the client is reconnecting', async () => {
      p = plugin();
      const { ctx, record } = pluginContext();
      const started = await p.init(ctx);
      await proxy.refuse();
      await eventually(() => started.status === 'reconnecting');
      await p.close(started, resourceContext());
      expect(record.runtime.map((r) => r.type)).toEqual(['down']);
    });

    it('stays down when reconnect is false, and says so', async () => {
      p = plugin({ reconnect: false });
      const { ctx, record, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      proxy.cutAll();
      await nextRuntime('down');
      expect(record.runtime).toMatchObject([
        { type: 'down', error: { message: expect.stringContaining('not reconnecting') } },
      ]);
      await eventually(() => client?.status === 'end');
      await expect(p.healthCheck(client, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_REDIS_UNAVAILABLE',
      });
    });

    it('fails a health check cut short by its signal when the server stops answering', async () => {
      p = plugin();
      client = await p.init(pluginContext().ctx);
      proxy.blackhole();
      await expect(p.healthCheck(client, resourceContext(200))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      proxy.forward();
    });
  });
});
