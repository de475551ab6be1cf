import { isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  amqpUrl,
  contextRecord,
  eventually,
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  rabbitmqConnections,
  rabbitmqConnectionsLeft,
  resourceContext,
  retriedStart,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import type { ChannelModel } from 'amqplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AmqpPluginOptions, amqp } from '../src/index.js';

let proxy: FaultProxy;
let name = '';
let handlesBefore: HandleWatch;

beforeEach(async () => {
  name = uniqueName('amqp-fault');
  handlesBefore = watchHandles();
  const { host } = addressOf(amqpUrl);
  proxy = await createFaultProxy({ target: { host, port: Number(new URL(amqpUrl).port || 5672) } });
});
afterEach(async () => {
  await proxy.close();
  expect(await rabbitmqConnectionsLeft(name)).toBe(0);
  await expectNothingLeft(handlesBefore);
});

function plugin(options: AmqpPluginOptions<string> = {}) {
  return amqp({
    url: amqpUrl,
    host: '127.0.0.1',
    port: proxy.port,
    connectionName: name,
    connectTimeoutMs: 400,
    ...options,
  });
}

describe('amqp plugin through a fault proxy', () => {
  it('retries while the broker refuses, then fails with a coded, retryable error', async () => {
    await proxy.refuse();
    const run = retriedStart(plugin(), contextRecord(), { maxElapsedMs: 300 });
    const error = await run.started.catch((e: unknown) => e);
    expect(isStartupError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(run.attempts()).toBeGreaterThan(1);
  });

  it('is ready soon after a broker that comes up late starts accepting', async () => {
    proxy.acceptAt(300);
    const p = plugin();
    const record = contextRecord();
    const run = retriedStart(p, record);
    const connection = await run.started;
    try {
      expect(run.attempts()).toBeGreaterThan(1);
      expect(record.steps.slice(-2)).toEqual([
        { name: 'connect', ok: true },
        { name: 'verify', ok: true },
      ]);
      expect(await rabbitmqConnections(name)).toBe(1);
    } finally {
      await p.close(connection, resourceContext());
    }
  });

  it('fails an attempt against a broker that never answers within connectTimeoutMs, leaving nothing open', async () => {
    proxy.blackhole();
    const { ctx, record } = pluginContext();
    const error = await plugin()
      .init(ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('within 400 ms');
    expect(record.steps).toMatchObject([{ name: 'connect', ok: false }]);
    await eventually(() => proxy.connections === 0);
  });

  it('retries a connection reset during the handshake', async () => {
    proxy.resetNew(true);
    const error = await plugin()
      .init(pluginContext().ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_UNAVAILABLE', retryable: true });
  });

  it('gives up at once when core aborts the attempt, with the signal reason, leaving nothing open', async () => {
    proxy.blackhole();
    const controller = new AbortController();
    const reason = new Error('attempt timed out');
    const pending = plugin({ connectTimeoutMs: 1_000 }).init(
      pluginContext({ signal: controller.signal }).ctx,
    );
    await eventually(() => proxy.connections === 1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    // amqplib's socket idle timeout (connectTimeoutMs) ends the abandoned socket.
    await eventually(() => proxy.connections === 0, 3_000);
  });

  it('destroys a connection that opens after the attempt was aborted', async () => {
    proxy.latency(150);
    const controller = new AbortController();
    const reason = new Error('attempt timed out');
    const pending = plugin({ connectTimeoutMs: 5_000 }).init(
      pluginContext({ signal: controller.signal }).ctx,
    );
    await eventually(() => proxy.connections === 1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => proxy.connections === 0, 5_000);
  });

  it('does not reconnect in the background after a failed attempt', async () => {
    proxy.resetNew(true);
    await plugin()
      .init(pluginContext().ctx)
      .catch(() => undefined);
    const acceptedAfterFailure = proxy.accepted;
    proxy.resetNew(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxy.accepted).toBe(acceptedAfterFailure);
  });

  describe('when the broker is lost while running', () => {
    let connection: ChannelModel | undefined;
    let p: ReturnType<typeof plugin>;
    afterEach(async () => {
      if (connection) await p.close(connection, resourceContext());
      connection = undefined;
    });

    it('reports the loss, fails its health check, then reconnects and recovers when the broker is back', async () => {
      p = plugin();
      const { ctx, record, nextRuntime } = pluginContext();
      connection = await p.init(ctx);
      expect(await p.healthCheck(connection, resourceContext())).toMatchObject({ product: 'RabbitMQ' });
      await proxy.refuse();
      await nextRuntime('down');
      expect(record.runtime).toMatchObject([
        {
          type: 'down',
          error: { code: 'STARTUP_ERR_AMQP_UNAVAILABLE', message: expect.stringContaining('reconnecting') },
        },
      ]);
      await expect(p.healthCheck(connection, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_AMQP_UNAVAILABLE',
      });
      await expect(connection.createChannel()).rejects.toThrow('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await proxy.accept();
      await nextRuntime('up');
      expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
      expect(await p.healthCheck(connection, resourceContext())).toMatchObject({ product: 'RabbitMQ' });
      const channel = await connection.createChannel();
      await channel.close();
      expect(proxy.connections).toBe(1);
      expect(await rabbitmqConnections(name)).toBe(1);
    });

    it('stays down when reconnect is false, and says so', async () => {
      p = plugin({ reconnect: false });
      const { ctx, record, nextRuntime } = pluginContext();
      connection = await p.init(ctx);
      proxy.cutAll();
      await nextRuntime('down');
      expect(record.runtime).toMatchObject([
        { type: 'down', error: { message: expect.stringContaining('not reconnecting') } },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(proxy.accepted).toBe(1);
      await expect(p.healthCheck(connection, resourceContext())).rejects.toMatchObject({
        code: 'STARTUP_ERR_AMQP_UNAVAILABLE',
      });
    });

    it('closes cleanly while reconnecting, stopping the reconnection', async () => {
      p = plugin();
      const { ctx, record, nextRuntime } = pluginContext();
      const started = await p.init(ctx);
      await proxy.refuse();
      await nextRuntime('down');
      await p.close(started, resourceContext());
      const accepted = proxy.accepted;
      await proxy.accept();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(proxy.accepted).toBe(accepted);
      expect(record.runtime.map((r) => r.type)).toEqual(['down']);
    });

    it('fails a health check cut short by its signal when the broker stops answering', async () => {
      p = plugin();
      connection = await p.init(pluginContext().ctx);
      proxy.blackhole();
      await expect(p.healthCheck(connection, resourceContext(200))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      proxy.forward();
    });

    it('closes within its signal while the broker stops answering', async () => {
      p = plugin();
      const started = await p.init(pluginContext().ctx);
      proxy.blackhole();
      await p.close(started, resourceContext(200));
      proxy.forward();
    });
  });
});
