import { isStartupError, type StartupError } from '@startup/core';
import {
  addressOf,
  contextRecord,
  eventually,
  expectNothingLeft,
  type HandleWatch,
  type MosquittoServer,
  natsUrl,
  pluginContext,
  resourceContext,
  retriedStart,
  startMosquitto,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MqttPluginOptions, mqtt } from '../src/index.js';

const password = 'Br0ker-pw-right';
let broker: MosquittoServer;
let clientId = '';
let handlesBefore: HandleWatch;

beforeAll(async () => {
  broker = await startMosquitto({ users: { app: password } });
});
afterAll(async () => {
  await broker.stop();
});
beforeEach(() => {
  clientId = uniqueName('mqtt-permanent');
  handlesBefore = watchHandles();
});
afterEach(async () => {
  // The broker logs a closed connection a moment after the client closed it.
  await eventually(async () => (await broker.clients()).length === 0, 2_000);
  expect(await broker.connections()).toBe(0);
  await expectNothingLeft(handlesBefore);
});

/** Starts the plugin as core would: attempts with short backoff until it resolves or the error is final. */
async function start(options: MqttPluginOptions<string>, maxAttempts = 5) {
  const plugin = mqtt({ host: '127.0.0.1', port: broker.port, clientId, connectTimeoutMs: 500, ...options });
  const record = contextRecord();
  const run = retriedStart(plugin, record, { maxAttempts });
  const error = await run.started.then(
    async (client) => {
      await plugin.close(client, resourceContext(1_000));
      throw new Error('expected the start to fail');
    },
    (e: unknown) => e,
  );
  if (!isStartupError(error)) throw error;
  return { error: error as StartupError, attempts: run.attempts(), record };
}

/** What the error chain could show: each error's message, stack and own fields, as JSON, to the last cause. */
function chainText(error: unknown): string {
  const texts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (!(e instanceof Error)) {
      texts.push(JSON.stringify(e));
      break;
    }
    texts.push(e.message, e.stack ?? '', JSON.stringify(e));
    for (const key of Object.getOwnPropertyNames(e)) texts.push(JSON.stringify((e as never)[key]) ?? '');
    e = e.cause;
  }
  return texts.join('\n');
}

describe('mqtt plugin errors that retrying cannot fix', () => {
  it('connects with the right password', async () => {
    const plugin = mqtt({ url: `mqtt://app:${password}@127.0.0.1:${broker.port}`, clientId });
    const client = await plugin.init(pluginContext().ctx);
    expect(await broker.clients()).toEqual([clientId]);
    await plugin.close(client, resourceContext());
  });

  it.each([4, 5] as const)(
    'fails at once with STARTUP_ERR_MQTT_AUTH on a not-authorised CONNACK (protocol %i), without showing the password',
    async (protocolVersion) => {
      const { error, attempts, record } = await start({
        username: 'app',
        password: 'wrong-pw-123',
        protocolVersion,
      });
      expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_AUTH', retryable: false, plugin: 'mqtt' });
      // Mosquitto 2.0 answers a wrong password with "not authorised": 5 in 3.1.1, 135 in MQTT 5.
      expect(error.message).toContain(protocolVersion === 4 ? 'CONNACK 5' : 'CONNACK 135');
      expect(attempts).toBe(1);
      expect(record.steps).toMatchObject([{ name: 'connect', ok: false }]);
      expect(chainText(error)).not.toContain('wrong-pw-123');
    },
  );

  it('fails at once with STARTUP_ERR_MQTT_AUTH when the broker needs credentials and none are given', async () => {
    const { error, attempts } = await start({});
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_AUTH', retryable: false });
    expect(attempts).toBe(1);
  });

  it('keeps a wrong password given in the URL out of the error', async () => {
    const { error } = await start({ url: `mqtt://app:url-pw-456@127.0.0.1:${broker.port}` });
    expect(error.code).toBe('STARTUP_ERR_MQTT_AUTH');
    expect(`${error.message} ${JSON.stringify(error.toJSON())}`).not.toContain('url-pw-456');
    expect(chainText(error)).not.toContain('url-pw-456');
  });

  it('fails at once with STARTUP_ERR_MQTT_PROTOCOL against a port that does not speak MQTT', async () => {
    // A NATS server greets every client with its INFO line, which no MQTT packet starts like.
    const { error, attempts } = await start(addressOf(natsUrl));
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_PROTOCOL', retryable: false });
    expect(attempts).toBe(1);
  });

  it('retries an unresolvable host by default, with STARTUP_ERR_MQTT_HOST_NOT_FOUND', async () => {
    const { error, attempts } = await start({ host: 'no-such-host.invalid' }, 3);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_HOST_NOT_FOUND', retryable: true });
    expect(error.message).toContain('ENOTFOUND');
    expect(attempts).toBe(3);
  });

  it('fails at once on an unresolvable host with retryUnresolvedHost: false', async () => {
    const { error, attempts } = await start({ host: 'no-such-host.invalid', retryUnresolvedHost: false }, 3);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_HOST_NOT_FOUND', retryable: false });
    expect(attempts).toBe(1);
  });
});
