import { isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  contextRecord,
  eventually,
  expectNothingLeft,
  type HandleWatch,
  type MosquittoServer,
  pluginContext,
  resourceContext,
  retriedStart,
  startMosquitto,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MqttPluginOptions, mqtt } from '../src/index.js';

let broker: MosquittoServer;
let proxy: FaultProxy;
let clientId = '';
let handlesBefore: HandleWatch;

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker.stop();
});
beforeEach(async () => {
  clientId = uniqueName('mqtt-fault');
  handlesBefore = watchHandles();
  proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
});
afterEach(async () => {
  await proxy.close();
  await eventually(async () => (await broker.clients()).length === 0, 2_000);
  await expectNothingLeft(handlesBefore);
});

const connectionsOf = async (id: string) => (await broker.clients()).filter((c) => c === id).length;

function plugin(options: MqttPluginOptions<string> = {}) {
  return mqtt({
    host: '127.0.0.1',
    port: proxy.port,
    clientId,
    connectTimeoutMs: 400,
    reconnectPeriodMs: 50,
    ...options,
  });
}

describe('mqtt plugin through a fault proxy', () => {
  it('retries while the broker refuses, then fails with a coded, retryable error', async () => {
    await proxy.refuse();
    // A budget in attempts, not time: under load one attempt may take longer than a short time budget.
    const run = retriedStart(plugin(), contextRecord(), { maxAttempts: 3 });
    const error = await run.started.catch((e: unknown) => e);
    expect(isStartupError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(run.attempts()).toBe(3);
  });

  it('is ready soon after a broker that comes up late starts accepting', async () => {
    proxy.acceptAt(300);
    const p = plugin();
    const record = contextRecord();
    const run = retriedStart(p, record);
    const client = await run.started;
    try {
      expect(client.connected).toBe(true);
      expect(run.attempts()).toBeGreaterThan(1);
      expect(record.steps.slice(-2)).toEqual([
        { name: 'connect', ok: true },
        { name: 'verify', ok: true },
      ]);
      expect(await connectionsOf(clientId)).toBe(1);
    } finally {
      await p.close(client, resourceContext());
    }
  });

  it('fails an attempt against a broker that never answers within connectTimeoutMs, leaving nothing open', async () => {
    proxy.blackhole();
    const { ctx, record } = pluginContext();
    const error = await plugin()
      .init(ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('ETIMEDOUT');
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
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_UNAVAILABLE' });
    const acceptedAfterFailure = proxy.accepted;
    proxy.resetNew(false);
    // Ten reconnection periods: a client left reconnecting would have come back by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(proxy.accepted).toBe(acceptedAfterFailure);
  });

  describe('when the broker dies while running', () => {
    let client: MqttClient | undefined;
    let p: ReturnType<typeof plugin>;
    afterEach(async () => {
      if (client) await p.close(client, resourceContext());
      client = undefined;
    });

    it('reports the loss, fails its health check, then recovers when the broker is back', async () => {
      p = plugin();
      const { ctx, record, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      expect(await p.healthCheck(client, resourceContext())).toMatchObject({ clientId });

      await proxy.refuse();
      await nextRuntime('down');
      expect(record.runtime).toMatchObject([
        { type: 'down', error: { code: 'STARTUP_ERR_MQTT_UNAVAILABLE' } },
      ]);
      await expect(p.healthCheck(client, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_MQTT_UNAVAILABLE',
      });

      await proxy.accept();
      await nextRuntime('up');
      expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
      expect(await p.healthCheck(client, resourceContext())).toMatchObject({ clientId });
      expect(await connectionsOf(clientId)).toBe(1);
    });

    it('reconnects by itself after the connection is cut while the broker still listens, once', async () => {
      p = plugin();
      const { ctx, record, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      proxy.cutAll();
      await nextRuntime('up');
      expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
      await eventually(async () => (await connectionsOf(clientId)) === 1, 2_000);
      expect(proxy.connections).toBe(1);
    });

    it('stays down when reconnectPeriodMs is 0, and says so', async () => {
      p = plugin({ reconnectPeriodMs: 0 });
      const { ctx, record, nextRuntime } = pluginContext();
      client = await p.init(ctx);
      const acceptedBefore = proxy.accepted;
      proxy.cutAll();
      await nextRuntime('down');
      expect(record.runtime).toMatchObject([
        { type: 'down', error: { message: expect.stringContaining('not reconnecting') } },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(proxy.accepted).toBe(acceptedBefore);
      await expect(p.healthCheck(client, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_MQTT_UNAVAILABLE',
      });
    });

    it('closes cleanly while the client is reconnecting', async () => {
      p = plugin();
      const { ctx, record } = pluginContext();
      const started = await p.init(ctx);
      await proxy.refuse();
      await eventually(() => started.reconnecting);
      await p.close(started, resourceContext());
      expect(record.runtime.map((r) => r.type)).toEqual(['down']);
      const acceptedAfterClose = proxy.accepted;
      await proxy.accept();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(proxy.accepted).toBe(acceptedAfterClose);
    });

    it('fails a health check cut short by its signal when the broker stops answering', async () => {
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
