import { StorageType } from '@nats-io/jetstream';
import { createStartup, type StartupEvents } from '@startup/core';
import {
  eventually,
  expectNothingLeft,
  type HandleWatch,
  type NatsServer,
  natsUrl,
  pluginContext,
  resourceContext,
  startNatsServer,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nats } from '../src/index.js';

let handles: HandleWatch;
let extra: NatsServer | undefined;

beforeEach(() => {
  handles = watchHandles();
});

afterEach(async () => {
  await extra?.stop();
  extra = undefined;
  await expectNothingLeft(handles);
});

describe('nats() against the local server', () => {
  it('connects, verifies with a round trip and checks the JetStream account, each as a step', async () => {
    const plugin = nats({ servers: natsUrl, jetstream: true });
    const { ctx, record } = pluginContext();
    const resource = await plugin.init(ctx);
    try {
      expect(record.steps).toEqual([
        { name: 'connect', ok: true },
        { name: 'verify', ok: true },
        { name: 'jetstream', ok: true },
      ]);
      const account = await resource.jsm.getAccountInfo();
      expect(account.limits).toBeDefined();
      expect(resource.nc.isClosed()).toBe(false);
      const health = await plugin.healthCheck?.(resource, resourceContext());
      expect(health).toEqual({ rttMs: expect.any(Number), server: expect.any(String), jetstream: true });
      expect(record.runtime).toEqual([]);
    } finally {
      await plugin.close?.(resource, resourceContext());
    }
    expect(resource.nc.isClosed()).toBe(true);
  });

  it('publishes to a JetStream stream through the typed handles', async () => {
    const plugin = nats({ servers: natsUrl, jetstream: true });
    const resource = await plugin.init(pluginContext().ctx);
    const stream = `startup_test_${process.pid}_${Date.now()}`;
    try {
      await resource.jsm.streams.add({
        name: stream,
        subjects: [`${stream}.>`],
        storage: StorageType.Memory,
      });
      const ack = await resource.js.publish(`${stream}.created`, 'hello');
      expect(ack).toMatchObject({ stream, seq: 1 });
    } finally {
      await resource.jsm.streams.delete(stream).catch(() => {});
      await plugin.close?.(resource, resourceContext());
    }
  });

  it('starts without JetStream handles unless asked', async () => {
    const plugin = nats({ servers: natsUrl });
    const { ctx, record } = pluginContext();
    const resource = await plugin.init(ctx);
    expect(record.steps.map((s) => s.name)).toEqual(['connect', 'verify']);
    expect(resource.js).toBeUndefined();
    expect(await plugin.healthCheck?.(resource, resourceContext())).toEqual({
      rttMs: expect.any(Number),
      server: expect.any(String),
    });
    await plugin.close?.(resource, resourceContext());
  });

  it('starts through createStartup, with its steps in the report and a passing health', async () => {
    const app = createStartup([nats({ servers: natsUrl, jetstream: true })], { health: { cacheMs: 0 } });
    const steps: StartupEvents['plugin:step'][] = [];
    app.on('plugin:step', (e) => steps.push(e));
    const resources = await app.start();
    try {
      expect(typeof resources.nats.js.publish).toBe('function');
      expect(app.report().plugins[0]?.steps.map((s) => s.name)).toEqual(['connect', 'verify', 'jetstream']);
      expect(steps.every((s) => s.error === undefined)).toBe(true);
      const health = await app.health();
      expect(health.status).toBe('pass');
      expect(health.checks.nats?.details).toMatchObject({ jetstream: true, rttMs: expect.any(Number) });
    } finally {
      await app.stop();
    }
    expect(resources.nats.nc.isClosed()).toBe(true);
  });

  it('reports a give-up after a disconnect as a second plugin:down, with STARTUP_ERR_NATS_CLOSED', async () => {
    extra = await startNatsServer();
    const plugin = nats({ servers: extra.url, maxReconnectAttempts: 2, reconnectTimeWaitMs: 50 });
    const app = createStartup([plugin], { health: { cacheMs: 0 } });
    const downs: StartupEvents['plugin:down'][] = [];
    app.on('plugin:down', (e) => downs.push(e));
    const resources = await app.start();
    try {
      await extra.stop();
      extra = undefined;
      await eventually(() => downs.length === 2);
      expect(downs.map((e) => e.error?.code)).toEqual([
        'STARTUP_ERR_NATS_DISCONNECTED',
        'STARTUP_ERR_NATS_CLOSED',
      ]);
      expect(resources.nats.nc.isClosed()).toBe(true);
      const health = await app.health();
      expect(health.status).toBe('fail');
      expect(health.checks.nats?.error?.code).toBe('STARTUP_ERR_NATS_CLOSED');
    } finally {
      await app.stop();
    }
  });

  it('shows its connection name in the server and leaves no connection after close', async () => {
    extra = await startNatsServer({ jetstream: true });
    const plugin = nats({ servers: extra.url, jetstream: true, connectionName: 'orders-api' });
    const resource = await plugin.init(pluginContext().ctx);
    expect(await extra.connectionNames()).toEqual(['orders-api']);
    await plugin.close?.(resource, resourceContext());
    // The server drops a closed client a moment after its socket closes.
    const server = extra;
    await eventually(async () => (await server.connectionNames()).length === 0, 2_000);
  });

  it('drains on close: a message published just before close is delivered', async () => {
    const plugin = nats({ servers: natsUrl });
    const resource = await plugin.init(pluginContext().ctx);
    const subject = `startup.test.drain.${process.pid}`;
    const received: string[] = [];
    resource.nc.subscribe(subject, {
      callback: (_err, msg) => {
        received.push(msg.string());
      },
    });
    resource.nc.publish(subject, 'last words');
    await plugin.close?.(resource, resourceContext());
    expect(received).toEqual(['last words']);
  });
});
