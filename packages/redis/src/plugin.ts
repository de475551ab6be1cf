import type { HealthDetails, Logger, Plugin, PluginContext, ResourceContext } from '@startup/core';
import { loadClientLibrary, redactSecrets } from '@startup/core/plugin-kit';
import type { Redis } from 'ioredis';
import { enterRuntimeMode, startClientOptions } from './client-options.js';
import { closeClient } from './close-client.js';
import { pingRoundTrip } from './health-check.js';
import type { RedisPluginOptions } from './options.js';
import { type ResolvedRedisOptions, resolveRedisOptions } from './resolve-options.js';
import { watchRuntime } from './runtime-status.js';
import { startClient } from './start-client.js';

// One loader for every start: loadClientLibrary loads what it once loaded only once.
const importIoredis = () => import('ioredis');

/** What `redis()` starts: a ready ioredis client, verified with a PING. */
export type RedisResource = Redis;

/** The plugin `redis()` makes: a core `Plugin` whose resource is a {@link RedisResource}, with every hook present. */
export interface RedisPlugin<Name extends string = 'redis'> extends Plugin<Name, RedisResource> {
  /** Connects (report step `connect`) and PINGs (step `verify`); rejects with a classified `StartupError`. */
  init(ctx: PluginContext): Promise<Redis>;
  /** QUIT when ready, otherwise disconnect; disconnects at once when `ctx.signal` aborts. Leaves nothing open. */
  close(client: Redis, ctx: ResourceContext): Promise<void>;
  /** A PING round trip bounded by `ctx.signal`: `{ status, rttMs }`. Fails at once when the client is not ready. */
  healthCheck(client: Redis, ctx: ResourceContext): Promise<HealthDetails>;
}

/**
 * A `@startup/core` plugin whose resource is a ready ioredis `Redis` client, verified with a PING.
 * Options are validated here, before anything connects (`STARTUP_ERR_INVALID_OPTION` naming the field).
 *
 * While starting the client never reconnects by itself (core retries); after start it reconnects with
 * backoff and reports loss and recovery to core. Errors carry a `RedisErrorCode`; permanent ones
 * (`STARTUP_ERR_REDIS_AUTH`, `…_DB_INDEX`, `…_PERMISSION`) are not retried.
 *
 * @example
 * const app = createStartup([redis({ url: process.env.REDIS_URL })]);
 * const { redis: client } = await app.start();
 */
export function redis<const Name extends string = 'redis'>(
  options: RedisPluginOptions<Name> = {},
): RedisPlugin<NoInfer<Name>> {
  const resolved = resolveRedisOptions(options);
  const stopWatching = new WeakMap<Redis, () => void>();
  return {
    name: resolved.name as Name,
    ...resolved.settings,
    async init(ctx) {
      // Loaded here, not at import: see loadClientLibrary.
      const ioredis = await loadClientLibrary(importIoredis, 'Redis', {
        plugin: resolved.name,
        package: 'ioredis',
      });
      const client = new ioredis.Redis(startClientOptions(resolved));
      // Without a listener ioredis prints every error to the console, unredacted.
      client.on('error', logError(ctx.logger, resolved));
      await startClient(client, ctx, resolved);
      enterRuntimeMode(client, resolved);
      stopWatching.set(client, watchRuntime(client, ctx.runtime, ctx.logger, resolved));
      ctx.logger.debug('redis ready', { target: resolved.target, connectionName: resolved.connectionName });
      return client;
    },
    async close(client, ctx) {
      stopWatching.get(client)?.();
      stopWatching.delete(client);
      await closeClient(client, ctx.signal);
    },
    healthCheck(client, ctx) {
      return pingRoundTrip(client, ctx.signal, resolved);
    },
  };
}

function logError(logger: Logger, options: ResolvedRedisOptions): (error: unknown) => void {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    logger.debug('redis client error', {
      target: options.target,
      code: typeof code === 'string' ? code : undefined,
      error: redactSecrets(message, options.secrets),
    });
  };
}
