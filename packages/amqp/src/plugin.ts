import type { HealthDetails, Logger, Plugin, PluginContext, ResourceContext } from '@startup/core';
import { errorCode, redactSecrets } from '@startup/core/plugin-kit';
import type { ChannelModel } from 'amqplib';
import { closeConnection } from './close-connection.js';
import { channelRoundTrip } from './health-check.js';
import type { AmqpPluginOptions } from './options.js';
import { type ResolvedAmqpOptions, resolveAmqpOptions } from './resolve-options.js';
import { type RuntimeWatch, watchRuntime } from './runtime-status.js';
import { startConnection } from './start-connection.js';

/** The plugin `amqp()` makes: a core `Plugin` whose resource is an amqplib connection, with every hook present. */
export interface AmqpPlugin<Name extends string = 'amqp'> extends Plugin<Name, ChannelModel> {
  /** Opens the connection (report step `connect`) and a channel, closed again (step `verify`); rejects with a classified `StartupError`. */
  init(ctx: PluginContext): Promise<ChannelModel>;
  /** Closes gracefully; destroys the socket at once when `ctx.signal` aborts. Leaves nothing open. */
  close(model: ChannelModel, ctx: ResourceContext): Promise<void>;
  /** Opens and closes a channel within `ctx.signal`: `{ rttMs, product, version, heartbeatSeconds, frameMax, channelMax }`. */
  healthCheck(model: ChannelModel, ctx: ResourceContext): Promise<HealthDetails>;
}

/**
 * A `@startup/core` plugin whose resource is an open amqplib connection (`ChannelModel` of the promise API), verified
 * by opening and closing a channel. Options are validated here, before anything connects
 * (`STARTUP_ERR_INVALID_OPTION` naming the field).
 *
 * amqplib never reconnects a `ChannelModel`: while starting, core retries; after start a lost connection is reported
 * down and stays down. Errors carry an `AmqpErrorCode`; permanent ones (`STARTUP_ERR_AMQP_AUTH`, `…_VHOST`, `…_TLS`)
 * are not retried.
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
      const model = await startConnection(ctx, resolved);
      // Without a listener an 'error' event would be thrown.
      model.on('error', logError(ctx.logger, resolved));
      watches.set(model, watchRuntime(model, ctx.runtime, ctx.logger, resolved));
      ctx.logger.debug('amqp ready', { target: resolved.target, connectionName: resolved.connectionName });
      return model;
    },
    async close(model, ctx) {
      watches.get(model)?.stop();
      await closeConnection(model, ctx.signal);
    },
    healthCheck(model, ctx) {
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
