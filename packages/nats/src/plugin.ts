import type { Plugin, PluginContext } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import { natsStartupError } from './classify-error.js';
import { closeConnection } from './close-connection.js';
import { checkHealth } from './health-check.js';
import { type JetStreamHandles, loadJetStream, openJetStream } from './jetstream.js';
import type { NatsJetStreamOptions, NatsPluginOptions } from './options.js';
import { resolveNatsOptions } from './resolve-options.js';
import type { NatsJetStreamResource, NatsResource } from './resource.js';
import { type StatusWatch, watchStatus } from './runtime-status.js';
import type { SocketTracker } from './socket-tracker.js';
import { dial } from './start-connection.js';

interface Internals {
  watch: StatusWatch;
  tracker: SocketTracker;
}

/**
 * The plugin `nats()` makes: a core `Plugin` whose resource is a {@link NatsResource}, or a
 * {@link NatsJetStreamResource} when `jetstream` is set.
 */
export type NatsPlugin<Name extends string = 'nats', Resource extends NatsResource = NatsResource> = Plugin<
  Name,
  Resource,
  {}
>;

// NoInfer in the return types: the name comes from `options.name` or the default, never from where the
// plugin is used (in `createStartup([nats()])` the array's `AnyPlugin` context would make it `string`).
/**
 * A `@startup/core` plugin whose resource is a NATS connection (`{ nc }`), plus JetStream handles
 * (`{ nc, js, jsm }`) when `jetstream` is set. Options are validated here, before anything connects
 * (`STARTUP_ERR_INVALID_OPTION` naming the field).
 *
 * Start: `connect` (one dial of each server, no background retry), `verify` (a PING/PONG round trip),
 * and with JetStream `jetstream` (the account info), each a step of the start-up report. Errors carry a
 * `NatsErrorCode`; permanent ones (bad credentials, JetStream off) stop the retries at once.
 * After start, the client reconnects by itself and each disconnect / reconnection is reported to core.
 * Close drains, bounded by the close timeout, then closes.
 */
export function nats<const Name extends string = 'nats'>(
  options: NatsPluginOptions<Name> & { jetstream: true | NatsJetStreamOptions },
): NatsPlugin<NoInfer<Name>, NatsJetStreamResource>;
/** The same plugin without `jetstream` (or with a `boolean` variable): the resource is `{ nc }`, `js`/`jsm` optional. */
export function nats<const Name extends string = 'nats'>(
  options?: NatsPluginOptions<Name>,
): NatsPlugin<NoInfer<Name>>;
export function nats(options: NatsPluginOptions<string> = {}): NatsPlugin<string> {
  const config = resolveNatsOptions(options);
  const { name, target, secrets } = config;
  const classify = (error: unknown) =>
    natsStartupError(error, {
      plugin: name,
      target,
      secrets,
      retryUnresolvedHost: config.retryUnresolvedHost,
    });
  const internals = new WeakMap<NatsResource, Internals>();

  async function init(ctx: PluginContext<{}>): Promise<NatsResource> {
    // JetStream's library loads while the connection's handshake runs; awaited once connected.
    const loading = config.jetstream === undefined ? undefined : loadJetStream(name);
    loading?.catch(() => {});
    const fail = (error: unknown): unknown => (ctx.signal.aborted ? ctx.signal.reason : classify(error));
    // Steps throw the classified error, so the report's steps carry its code too.
    const guarded =
      <T>(work: () => Promise<T>) =>
      () =>
        work().catch((error: unknown) => Promise.reject(fail(error)));
    const { nc, tracker } = await ctx.step(
      'connect',
      guarded(() => dial(config, ctx.signal)),
    );
    const watch = watchStatus(nc, { plugin: name, target, logger: ctx.logger });
    // A drop before the start is over fails this attempt: the client must not reconnect in the background.
    const signal = AbortSignal.any([ctx.signal, watch.lost]);
    try {
      const rttMs = await ctx.step(
        'verify',
        guarded(() => abortable(nc.rtt(), signal)),
      );
      let handles: JetStreamHandles | undefined;
      if (loading !== undefined && config.jetstream !== undefined) {
        const js = config.jetstream;
        const module = await loading;
        handles = await ctx.step(
          'jetstream',
          guarded(() => openJetStream(module, nc, js, signal)),
        );
      }
      if (signal.aborted) throw signal.reason;
      const resource: NatsResource = Object.freeze({ nc, ...handles });
      internals.set(resource, { watch, tracker });
      watch.started(ctx.runtime);
      ctx.logger.info('connected', { server: nc.getServer(), rttMs, jetstream: handles !== undefined });
      return resource;
    } catch (error) {
      watch.closing();
      await nc.close().catch(() => {});
      await tracker.dispose();
      throw fail(error);
    }
  }

  const plugin: Plugin<string, NatsResource, {}> = {
    name,
    init,
    async close(resource, ctx) {
      const own = internals.get(resource);
      if (own === undefined) return resource.nc.close();
      await closeConnection(resource.nc, own.watch, own.tracker, ctx);
    },
    healthCheck(resource, ctx) {
      const own = internals.get(resource);
      if (own === undefined) throw new Error(`NATS (plugin "${name}"): not a resource of this plugin`);
      return checkHealth(resource, own.watch, ctx);
    },
  };
  return { ...config.settings, ...plugin };
}
