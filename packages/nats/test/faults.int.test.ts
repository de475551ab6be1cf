import { createStartup, isStartupError, type StartupFailedError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  eventually,
  expectNothingLeft,
  type HandleWatch,
  natsUrl,
  pluginContext,
  resourceContext,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NatsPluginOptions, nats } from '../src/index.js';

const fastRetry = { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 1_000 };
let proxy: FaultProxy;
let handles: HandleWatch;

beforeEach(async () => {
  handles = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(natsUrl) });
});

afterEach(async () => {
  // Every test closes what it started before this point: the proxy must see no client left
  // (it notices a closed client a moment later, hence the wait).
  await eventually(() => proxy.connections === 0);
  await proxy.close();
  await expectNothingLeft(handles);
});

/** The plugin through the proxy; the client must not learn the real server's address from INFO. */
function viaProxy(options: NatsPluginOptions<'nats'> = {}) {
  return nats({
    servers: `nats://127.0.0.1:${proxy.port}`,
    ignoreClusterUpdates: true,
    connectTimeoutMs: 300,
    reconnectTimeWaitMs: 50,
    ...options,
  });
}

async function failureOf(work: Promise<unknown>): Promise<StartupFailedError> {
  try {
    await work;
  } catch (error) {
    if (isStartupError(error)) return error as StartupFailedError;
    throw error;
  }
  throw new Error('expected the start to fail');
}

describe('nats() under faults', () => {
  it('retries a server that is down at start, then fails with a coded error', async () => {
    await proxy.refuse();
    const app = createStartup([viaProxy({ retry: { ...fastRetry, maxElapsedMs: 300 } })]);
    const error = await failureOf(app.start());
    expect(error.code).toBe('STARTUP_ERR_FAILED');
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_NATS_UNAVAILABLE', retryable: true });
    const report = app.report().plugins[0];
    expect(report?.attempts.length).toBeGreaterThan(1);
    expect(report?.attempts.every((a) => a.error?.code === 'STARTUP_ERR_NATS_UNAVAILABLE')).toBe(true);
    expect(proxy.accepted).toBe(0);
  });

  it('is ready soon after a server that comes up late', async () => {
    proxy.acceptAt(300);
    const app = createStartup([viaProxy({ retry: { ...fastRetry, maxElapsedMs: 5_000 } })]);
    const resources = await app.start();
    try {
      expect(app.report().plugins[0]?.attempts.length).toBeGreaterThan(1);
      expect((await app.health()).status).toBe('pass');
    } finally {
      await app.stop();
    }
    expect(resources.nats.nc.isClosed()).toBe(true);
  });

  it('fails a blackholed attempt within its connect timeout, retries, and leaves no socket behind', async () => {
    proxy.blackhole();
    const app = createStartup(
      [viaProxy({ connectTimeoutMs: 200, retry: { ...fastRetry, maxAttempts: 2 } })],
      {
        defaults: { attemptTimeoutMs: 5_000 },
      },
    );
    const error = await failureOf(app.start());
    const attempts = app.report().plugins[0]?.attempts ?? [];
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.error).toMatchObject({ code: 'STARTUP_ERR_NATS_UNAVAILABLE' });
      expect(attempt.error?.message).toContain('TimeoutError');
    }
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_NATS_UNAVAILABLE' });
    expect(proxy.accepted).toBe(2);
    await eventually(() => proxy.connections === 0);
  });

  it("cuts a blackholed connect short when core's attempt timeout fires first", async () => {
    proxy.blackhole();
    const app = createStartup([
      viaProxy({ connectTimeoutMs: 60_000, retry: false, timeouts: { attemptMs: 200 } }),
    ]);
    const error = await failureOf(app.start());
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_ATTEMPT_TIMEOUT' });
    await eventually(() => proxy.connections === 0);
  });

  it('fails at once on a host that does not resolve when told not to retry it', async () => {
    const app = createStartup([
      nats({ servers: 'nats://startup-test.invalid:4222', retryUnresolvedHost: false, retry: fastRetry }),
    ]);
    const error = await failureOf(app.start());
    expect(error.failures[0]?.cause).toMatchObject({
      code: 'STARTUP_ERR_NATS_HOST_NOT_FOUND',
      retryable: false,
    });
    expect(app.report().plugins[0]?.attempts).toHaveLength(1);
  });

  it('retries a host that does not resolve by default, naming the cause', async () => {
    const app = createStartup([
      nats({ servers: 'nats://startup-test.invalid:4222', retry: { ...fastRetry, maxElapsedMs: 200 } }),
    ]);
    const error = await failureOf(app.start());
    expect(error.failures[0]?.cause).toMatchObject({
      code: 'STARTUP_ERR_NATS_HOST_NOT_FOUND',
      retryable: true,
    });
    expect(app.report().plugins[0]?.attempts.length).toBeGreaterThan(1);
  });

  it('reports a cut connection as down, then up once the client is back on its own', async () => {
    const plugin = viaProxy();
    const { ctx, record, nextRuntime } = pluginContext();
    const resource = await plugin.init(ctx);
    try {
      proxy.cutAll();
      await nextRuntime('down');
      await nextRuntime('up');
      expect(record.runtime.map((e) => e.type)).toEqual(['down', 'up']);
      expect(await plugin.healthCheck?.(resource, resourceContext())).toMatchObject({
        rttMs: expect.any(Number),
      });
      expect(proxy.accepted).toBe(2);
    } finally {
      await plugin.close?.(resource, resourceContext());
    }
  });

  it('reports a server that dies while running, fails health, and recovers when it is back', async () => {
    const plugin = viaProxy();
    const { ctx, record, nextRuntime } = pluginContext();
    const resource = await plugin.init(ctx);
    try {
      await proxy.refuse();
      await nextRuntime('down');
      expect(record.runtime[0]).toMatchObject({
        type: 'down',
        error: { code: 'STARTUP_ERR_NATS_DISCONNECTED' },
      });
      await expect(plugin.healthCheck?.(resource, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_NATS_DISCONNECTED',
      });
      await proxy.accept();
      await nextRuntime('up');
      expect(await plugin.healthCheck?.(resource, resourceContext())).toMatchObject({
        rttMs: expect.any(Number),
      });
    } finally {
      await plugin.close?.(resource, resourceContext());
    }
  });

  it('reports a lasting loss when the client gives up reconnecting, and still closes cleanly', async () => {
    const plugin = viaProxy({ maxReconnectAttempts: 2 });
    const { ctx, record, nextRuntime } = pluginContext();
    const resource = await plugin.init(ctx);
    await proxy.refuse();
    await nextRuntime('down', 2);
    expect(record.runtime).toMatchObject([
      { type: 'down', error: { code: 'STARTUP_ERR_NATS_DISCONNECTED' } },
      { type: 'down', error: { code: 'STARTUP_ERR_NATS_CLOSED' } },
    ]);
    expect(resource.nc.isClosed()).toBe(true);
    await expect(plugin.healthCheck?.(resource, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_NATS_CLOSED',
    });
    await plugin.close?.(resource, resourceContext());
    await proxy.accept();
  });

  it('gives up draining at the close timeout while reconnecting to a blackholed server, leaving no socket', async () => {
    const plugin = viaProxy({ connectTimeoutMs: 10_000 });
    const { ctx, nextRuntime } = pluginContext();
    const resource = await plugin.init(ctx);
    proxy.blackhole();
    proxy.cutAll();
    await nextRuntime('down');
    // The client is now dialling the proxy, which accepts and never answers.
    await eventually(() => proxy.connections === 1);
    await plugin.close?.(resource, resourceContext(1_000));
    expect(resource.nc.isClosed()).toBe(true);
    await eventually(() => proxy.connections === 0);
  });

  it('opens the breaker when the server dies, and closes it again once the server is back', async () => {
    const app = createStartup([viaProxy({ breaker: { failureThreshold: 2, openMs: 100 } })], {
      health: { cacheMs: 0, timeoutMs: 500 },
    });
    const events: string[] = [];
    app.on('plugin:down', () => events.push('down'));
    app.on('plugin:up', () => events.push('up'));
    await app.start();
    try {
      proxy.cutAll();
      await proxy.refuse();
      await eventually(() => events.includes('down'));
      expect((await app.health()).status).toBe('fail');
      expect(app.breaker('nats').state).toBe('OPEN');
      await proxy.accept();
      await eventually(() => events.includes('up'));
      await eventually(async () => (await app.health()).status === 'pass');
      expect(app.breaker('nats').state).toBe('CLOSED');
    } finally {
      await app.stop();
    }
  });

  it('reports a connection lost during the start as a failed attempt, not a background reconnect', async () => {
    proxy.latency(150);
    const plugin = viaProxy({ connectTimeoutMs: 2_000 });
    const { ctx, record } = pluginContext();
    const pending = Promise.resolve(plugin.init(ctx));
    await eventually(() => record.steps.some((s) => s.name === 'connect'));
    proxy.cutAll();
    await expect(pending).rejects.toMatchObject({ code: 'STARTUP_ERR_NATS_DISCONNECTED', retryable: true });
    await eventually(() => proxy.connections === 0);
    proxy.latency(0);
  });
});
