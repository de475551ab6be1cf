import {
  amqpUrl,
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  rabbitmqConnections,
  rabbitmqConnectionsLeft,
  resourceContext,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amqp } from '../src/index.js';

let name = '';
let handlesBefore: HandleWatch;

beforeEach(() => {
  name = uniqueName('amqp-start');
  handlesBefore = watchHandles();
});
afterEach(async () => {
  expect(await rabbitmqConnectionsLeft(name)).toBe(0);
  await expectNothingLeft(handlesBefore);
});

describe('amqp plugin against the local broker', () => {
  it('connects, opens and closes a channel, records both steps, and closes leaving no connection', async () => {
    const plugin = amqp({ url: amqpUrl, connectionName: name });
    const { ctx, record } = pluginContext();
    const connection = await plugin.init(ctx);
    try {
      expect(record.steps).toEqual([
        { name: 'connect', ok: true },
        { name: 'verify', ok: true },
      ]);
      expect(await rabbitmqConnections(name)).toBe(1);
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      expect(channel.sendToQueue(queue, Buffer.from('hello'))).toBe(true);
      await channel.close();
    } finally {
      await plugin.close(connection, resourceContext());
    }
    expect(record.runtime).toEqual([]);
  });

  it("is named 'amqp' unless told otherwise", () => {
    expect(amqp().name).toBe('amqp');
    expect(amqp({ name: 'events' }).name).toBe('events');
  });

  it('asks the broker for the default heartbeat, frame and channel limits, and reports them with the RTT', async () => {
    const plugin = amqp({ url: amqpUrl, connectionName: name });
    const connection = await plugin.init(pluginContext().ctx);
    try {
      const details = await plugin.healthCheck(connection, resourceContext());
      expect(details).toMatchObject({
        product: 'RabbitMQ',
        heartbeatSeconds: 60,
        frameMax: 131_072,
        channelMax: 2_047,
      });
      expect((details as { rttMs: number }).rttMs).toBeGreaterThanOrEqual(0);
    } finally {
      await plugin.close(connection, resourceContext());
    }
  });

  it('negotiates the lower of its own and the broker’s limits', async () => {
    const plugin = amqp({
      url: amqpUrl,
      connectionName: name,
      heartbeatSeconds: 5,
      channelMax: 8,
      frameMax: 8_192,
    });
    const connection = await plugin.init(pluginContext().ctx);
    try {
      expect(await plugin.healthCheck(connection, resourceContext())).toMatchObject({
        heartbeatSeconds: 5,
        frameMax: 8_192,
        channelMax: 8,
      });
    } finally {
      await plugin.close(connection, resourceContext());
    }
  });

  it('destroys the connection at once when the close is cut short', async () => {
    const plugin = amqp({ url: amqpUrl, connectionName: name });
    const connection = await plugin.init(pluginContext().ctx);
    const controller = new AbortController();
    controller.abort(new Error('close timed out'));
    await plugin.close(connection, { ...resourceContext(), signal: controller.signal });
    await expect(plugin.healthCheck(connection, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_AMQP_UNAVAILABLE',
    });
  });

  it('fails its health check once closed, and a second close does nothing', async () => {
    const plugin = amqp({ url: amqpUrl, connectionName: name });
    const { ctx, record } = pluginContext();
    const connection = await plugin.init(ctx);
    await plugin.close(connection, resourceContext());
    await plugin.close(connection, resourceContext());
    await expect(plugin.healthCheck(connection, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_AMQP_UNAVAILABLE',
    });
    expect(record.runtime).toEqual([]);
  });
});
