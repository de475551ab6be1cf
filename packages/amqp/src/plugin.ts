import type { HealthDetails, Logger, Plugin, PluginContext, ResourceContext } from '@startup/core';
import { errorCode, redactSecrets } from '@startup/core/plugin-kit';
import type { ChannelModel } from 'amqplib';
import { channelRoundTrip } from './health-check.js';
import type { AmqpPluginOptions } from './options.js';
import { ReconnectingConnection } from './reconnecting-connection.js';
import { type ResolvedAmqpOptions, resolveAmqpOptions } from './resolve-options.js';
import { type RuntimeWatch, watchRuntime } from './runtime-status.js';
import { openConnection, startConnection } from './start-connection.js';

/** What `amqp()` starts: an open amqplib connection (a `ChannelModel` of the promise API), verified with a channel. */
export type AmqpResource = ChannelModel;

/** The plugin `amqp()` makes: a core `Plugin` whose resource is an {@link AmqpResource}, with every hook present. */
export interface AmqpPlugin<Name extends string = 'amqp'> extends Plugin<Name, AmqpResource> {
  /** Opens the connection (report step `connect`) and a channel, closed again (step `verify`); rejects with a classified `StartupError`. */
  init(ctx: PluginContext): Promise<ChannelModel>;
  /** Stops reconnecting and closes gracefully; destroys the socket at once when `ctx.signal` aborts. Leaves nothing open. */
  close(model: ChannelModel, ctx: ResourceContext): Promise<void>;
  /** Opens and closes a channel within `ctx.signal`: `{ rttMs, product, version, heartbeatSeconds, frameMax, channelMax }`. */
  healthCheck(model: ChannelModel, ctx: ResourceContext): Promise<HealthDetails>;
}

/**
 * A `@startup/core` plugin whose resource is an open amqplib connection (a `ChannelModel` of the promise API),
 * verified by opening and closing a channel. Options are validated here, before anything connects
 * (`STARTUP_ERR_INVALID_OPTION` naming the field).
 *
 * While starting nothing reconnects by itself (core retries); after start a lost connection is reopened with
 * `reconnect`'s backoff, and loss and recovery are reported to core. Channels do not survive a loss. Errors carry an
 * `AmqpErrorCode`; permanent ones (`STARTUP_ERR_AMQP_AUTH`, `…_VHOST`, `…_TLS`) are not retried.
 *
 * @example
 * const app = createStartup([amqp({ url: process.env.AMQP_URL })]);
 * const { amqp: connection } = await app.start();
 * const channel = await connection.createChannel();
 */
export function amqp<const Name extends string = 'amqp'>(
  options: AmqpPluginOptions<Name> = {},
): AmqpPlugin<NoInfer<Name>> {
  const resolved = resolveAmqpOptions(options);
  const watches = new WeakMap<ChannelModel, RuntimeWatch>();
  return {
    name: resolved.name as Name,
    ...resolved.settings,
    async init(ctx) {
      const first = await startConnection(ctx, resolved);
      const watch = watchRuntime(ctx.runtime, ctx.logger, resolved);
      const connection = new ReconnectingConnection(
        first,
        (signal) => openConnection(resolved, signal),
        resolved.reconnect,
        watch.events,
      );
      // Without a listener an 'error' event would be thrown.
      connection.on('error', logError(ctx.logger, resolved));
      watch.follow(connection);
      watches.set(connection, watch);
      ctx.logger.debug('amqp ready', { target: resolved.target, connectionName: resolved.connectionName });
      return connection;
    },
    async close(model, ctx) {
      watches.get(model)?.stop();
      if (model instanceof ReconnectingConnection) await model.shutdown(ctx.signal);
      else await model.close();
    },
    async healthCheck(model, ctx) {
      if (!(model instanceof ReconnectingConnection)) throw new TypeError('not a connection of amqp()');
      return channelRoundTrip(model, ctx.signal, resolved, () => watches.get(model)?.blocked());
    },
  };
}

function logError(logger: Logger, options: ResolvedAmqpOptions): (error: unknown) => void {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    logger.debug('amqp connection error', {
      target: options.target,
      code: errorCode(error),
      error: redactSecrets(message, options.secrets),
    });
  };
}
