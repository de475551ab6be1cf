import type { HealthDetails, Logger, Plugin, PluginContext, ResourceContext } from '@startup/core';
import { redactSecrets } from '@startup/core/plugin-kit';
import type { IConnackPacket, MqttClient } from 'mqtt';
import { closeClient } from './close-client.js';
import { checkHealth } from './health-check.js';
import type { MqttPluginOptions } from './options.js';
import { type ResolvedMqttOptions, resolveMqttOptions } from './resolve-options.js';
import { watchRuntime } from './runtime-status.js';
import { startClient } from './start-client.js';

/** What `mqtt()` starts: a connected MQTT.js client, verified with a PINGREQ round trip. */
export type MqttResource = MqttClient;

/** The plugin `mqtt()` makes: a core `Plugin` whose resource is an {@link MqttResource}, with every hook present. */
export interface MqttPlugin<Name extends string = 'mqtt'> extends Plugin<Name, MqttResource> {
  /** Connects until the CONNACK (report step `connect`), then a PINGREQ round trip (step `verify`). */
  init(ctx: PluginContext): Promise<MqttClient>;
  /** DISCONNECT once in-flight messages are acknowledged; at once when `ctx.signal` aborts. Leaves nothing open. */
  close(client: MqttClient, ctx: ResourceContext): Promise<void>;
  /** A PINGREQ round trip bounded by `ctx.signal`: `{ rttMs, clientId, … }`. Fails at once when not connected. */
  healthCheck(client: MqttClient, ctx: ResourceContext): Promise<HealthDetails>;
}

interface Internals {
  connack: IConnackPacket;
  stopWatching: () => void;
}

/**
 * A `@startup/core` plugin whose resource is a connected MQTT.js `MqttClient`, verified with a PINGREQ round
 * trip. Options are validated here, before anything connects (`STARTUP_ERR_INVALID_OPTION` naming the field).
 *
 * While starting the client never reconnects by itself (core retries); after start it reconnects every
 * `reconnectPeriodMs` and reports loss and recovery to core. Errors carry an `MqttErrorCode`; a refusing CONNACK
 * (`STARTUP_ERR_MQTT_AUTH`, `…_CLIENT_ID`, `…_PROTOCOL`) is not retried.
 *
 * @example
 * const app = createStartup([mqtt({ url: process.env.MQTT_URL })]);
 * const { mqtt: client } = await app.start();
 */
export function mqtt<const Name extends string = 'mqtt'>(
  options: MqttPluginOptions<Name> = {},
): MqttPlugin<NoInfer<Name>> {
  const resolved = resolveMqttOptions(options);
  const internals = new WeakMap<MqttClient, Internals>();
  return {
    name: resolved.name as Name,
    ...resolved.settings,
    async init(ctx) {
      const { client, connack, rttMs } = await startClient(ctx, resolved, logError(ctx.logger, resolved));
      // From now on the client reconnects by itself: MQTT.js reads the period at each loss.
      client.options.reconnectPeriod = resolved.reconnectPeriodMs;
      const stopWatching = watchRuntime(client, ctx.runtime, ctx.logger, resolved);
      internals.set(client, { connack, stopWatching });
      ctx.logger.debug('mqtt connected', { target: resolved.target, clientId: resolved.clientId, rttMs });
      return client;
    },
    async close(client, ctx) {
      internals.get(client)?.stopWatching();
      await closeClient(client, ctx.signal);
    },
    healthCheck(client, ctx) {
      return checkHealth(client, internals.get(client)?.connack, ctx.signal, resolved);
    },
  };
}

function logError(logger: Logger, options: ResolvedMqttOptions): (error: unknown) => void {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    logger.debug('mqtt client error', {
      target: options.target,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
      error: redactSecrets(message, options.secrets),
    });
  };
}
