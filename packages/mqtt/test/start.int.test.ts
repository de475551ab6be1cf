import {
  expectNothingLeft,
  type HandleWatch,
  type MosquittoServer,
  mqttUrl,
  pluginContext,
  resourceContext,
  startMosquitto,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mqtt } from '../src/index.js';

let broker: MosquittoServer;
let clientId = '';
let handlesBefore: HandleWatch;

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker.stop();
});
beforeEach(() => {
  clientId = uniqueName('mqtt-start');
  handlesBefore = watchHandles();
});
afterEach(async () => {
  await expectNothingLeft(handlesBefore);
});

/** Polls the broker's own log until `clientId` holds `n` connections (it notices a closed socket a moment later). */
async function expectOnBroker(n: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  let held = (await broker.clients()).filter((id) => id === clientId).length;
  while (held !== n && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    held = (await broker.clients()).filter((id) => id === clientId).length;
  }
  expect(held).toBe(n);
}

describe('mqtt plugin against the shared broker', () => {
  it('connects, verifies with a PINGREQ round trip, records both steps, and delivers a QoS 1 message', async () => {
    const plugin = mqtt({ url: mqttUrl, clientId });
    const { ctx, record } = pluginContext();
    const client = await plugin.init(ctx);
    try {
      expect(client).toBeInstanceOf(MqttClient);
      expect(client.connected).toBe(true);
      expect(record.steps).toEqual([
        { name: 'connect', ok: true },
        { name: 'verify', ok: true },
      ]);
      const topic = `startup-test/${clientId}`;
      const received = new Promise<string>((resolve) => {
        client.on('message', (_topic, payload) => resolve(payload.toString()));
      });
      await client.subscribeAsync(topic, { qos: 1 });
      await client.publishAsync(topic, 'hello', { qos: 1 });
      expect(await received).toBe('hello');
    } finally {
      await plugin.close(client, resourceContext());
    }
    expect(client.connected).toBe(false);
    expect(record.runtime).toEqual([]);
  });

  it("is named 'mqtt' unless told otherwise", () => {
    expect(mqtt().name).toBe('mqtt');
    expect(mqtt({ name: 'telemetry' }).name).toBe('telemetry');
  });

  it('reports the round trip, the client and, with MQTT 5, the broker properties from its health check', async () => {
    const plugin = mqtt({ url: mqttUrl, clientId, protocolVersion: 5 });
    const client = await plugin.init(pluginContext().ctx);
    try {
      const details = await plugin.healthCheck(client, resourceContext());
      expect(details).toMatchObject({ clientId, protocolVersion: 5, sessionPresent: false });
      expect((details as { rttMs: number }).rttMs).toBeGreaterThanOrEqual(0);
      // Mosquitto announces its limits in the CONNACK's properties.
      expect(details).toHaveProperty('topicAliasMaximum');
    } finally {
      await plugin.close(client, resourceContext());
    }
  });

  it('fails its health check once closed', async () => {
    const plugin = mqtt({ url: mqttUrl, clientId });
    const client = await plugin.init(pluginContext().ctx);
    await plugin.close(client, resourceContext());
    await expect(plugin.healthCheck(client, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_MQTT_UNAVAILABLE',
    });
  });
});

describe('mqtt plugin, counted on a broker of its own', () => {
  it('holds one connection under its client id while started, none once closed', async () => {
    const plugin = mqtt({ url: broker.url, clientId });
    const client = await plugin.init(pluginContext().ctx);
    try {
      await expectOnBroker(1);
    } finally {
      await plugin.close(client, resourceContext());
    }
    await expectOnBroker(0);
    expect(await broker.connections()).toBe(0);
  });

  it('waits for an unacknowledged QoS 1 publish before it disconnects', async () => {
    const plugin = mqtt({ url: broker.url, clientId });
    const client = await plugin.init(pluginContext().ctx);
    const published = client.publishAsync(`startup-test/${clientId}`, 'last words', { qos: 1 });
    await plugin.close(client, resourceContext());
    await expect(published).resolves.toMatchObject({ cmd: 'publish' });
    await expectOnBroker(0);
  });

  it('ends at once when the close is cut short', async () => {
    const plugin = mqtt({ url: broker.url, clientId });
    const client = await plugin.init(pluginContext().ctx);
    const controller = new AbortController();
    controller.abort(new Error('close timed out'));
    await plugin.close(client, { ...resourceContext(), signal: controller.signal });
    expect(client.connected).toBe(false);
    await expectOnBroker(0);
  });

  it('gives each plugin its own client id by default, so two replicas do not take over each other', async () => {
    const [a, b] = [mqtt({ url: broker.url }), mqtt({ url: broker.url })];
    const clientA = await a.init(pluginContext().ctx);
    const clientB = await b.init(pluginContext().ctx);
    try {
      expect(clientA.options.clientId).toMatch(/^startup-[0-9a-f]{12}$/);
      expect(clientA.options.clientId).not.toBe(clientB.options.clientId);
      expect(clientA.connected && clientB.connected).toBe(true);
    } finally {
      await a.close(clientA, resourceContext());
      await b.close(clientB, resourceContext());
    }
  });
});
