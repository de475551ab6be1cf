import type { PluginContext } from '@startup/core';
import { bounded } from '@startup/core/plugin-kit';
import { connect, type IConnackPacket, type MqttClient } from 'mqtt';
import { mqttStartupError } from './classify-error.js';
import { startClientOptions } from './client-options.js';
import { endNow } from './end-client.js';
import type { ResolvedMqttOptions } from './resolve-options.js';
import { pingRoundTrip } from './round-trip.js';

/** A client that passed the start: connected, its CONNACK, and the round trip's time in milliseconds. */
export interface StartedClient {
  client: MqttClient;
  connack: IConnackPacket;
  rttMs: number;
}

/**
 * One start attempt, as the report's `connect` (TCP, TLS, CONNECT until the CONNACK accepted it) and `verify`
 * (a PINGREQ answered by a PINGRESP) steps, each bounded by `connectTimeoutMs` and `ctx.signal`. The client never
 * reconnects by itself meanwhile. On failure or abort the client is ended (no socket, no timer) before the step
 * rejects, with the signal's reason or a classified `StartupError`.
 */
export async function startClient(
  ctx: PluginContext,
  options: ResolvedMqttOptions,
  onError: (error: unknown) => void,
): Promise<StartedClient> {
  ctx.signal.throwIfAborted();
  const client = connect(startClientOptions(options));
  // Without a listener an 'error' event would throw; MQTT.js reports refusals and socket errors only so.
  client.on('error', onError);
  const fail = async (error: unknown): Promise<never> => {
    await endNow(client);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw mqttStartupError(error, {
      plugin: options.name,
      target: options.target,
      secrets: options.secrets,
      retryUnresolvedHost: options.retryUnresolvedHost,
    });
  };
  const limit = (what: string) => ({
    ms: options.connectTimeoutMs,
    error: () =>
      Object.assign(new Error(`no ${what} within ${options.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
  });
  const connack = await ctx.step('connect', () =>
    bounded(accepted(client), ctx.signal, limit('CONNACK')).catch(fail),
  );
  const rttMs = await ctx.step('verify', () =>
    bounded(pingRoundTrip(client), ctx.signal, limit('PINGRESP')).catch(fail),
  );
  if (ctx.signal.aborted) await fail(ctx.signal.reason);
  return { client, connack, rttMs };
}

/**
 * Connects and resolves with the CONNACK that accepted the connection. Rejects with the first error MQTT.js
 * reports (a refusing CONNACK, a socket error), or a `CLOSED` error when the connection closes without one.
 */
function accepted(client: MqttClient): Promise<IConnackPacket> {
  return new Promise((resolve, reject) => {
    let first: unknown;
    const onConnect = (packet: IConnackPacket) => {
      done();
      resolve(packet);
    };
    const onError = (error: unknown) => {
      first ??= error;
    };
    const onClose = () => {
      done();
      reject(first ?? Object.assign(new Error('connection closed before the CONNACK'), { code: 'CLOSED' }));
    };
    const done = () => {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
    };
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
    client.connect();
  });
}
