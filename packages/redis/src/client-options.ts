import type { RetryPolicy } from '@startup/core';
import { backoffDelay } from '@startup/core/plugin-kit';
import type { Redis, RedisOptions } from 'ioredis';
import type { ResolvedRedisOptions } from './resolve-options.js';

/**
 * ioredis options for the start: lazy, no offline queue, and no reconnection at all (`retryStrategy`
 * returns `null`), because retrying is core's job and a client that reconnects by itself after `connect()`
 * rejected would leave a loop, a timer and a socket behind.
 */
export function startClientOptions(options: ResolvedRedisOptions): RedisOptions {
  return {
    // The plugin closes gracefully with QUIT; ioredis re-arms this timer on closed sockets (see disconnect.ts).
    disconnectTimeout: 0,
    ...options.ioredis,
    host: options.host,
    port: options.port,
    db: options.db,
    username: options.username,
    password: options.password,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    connectionName: options.connectionName,
    // ioredis only bounds the TCP connect with it; the plugin bounds the whole handshake itself.
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    keepAlive: options.keepAliveMs,
    maxRetriesPerRequest: options.maxRetriesPerRequest,
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  };
}

/**
 * Switches a started client to its life-after-start behaviour: reconnect with backoff (or not, when
 * `reconnect` is `false`) and queue commands while reconnecting when `enableOfflineQueue`.
 * ioredis reads both options at each use, so changing them on a live client takes effect at once.
 */
export function enterRuntimeMode(client: Redis, options: ResolvedRedisOptions, random = Math.random): void {
  client.options.enableOfflineQueue = options.enableOfflineQueue;
  client.options.retryStrategy =
    options.reconnect === false ? () => null : reconnectStrategy(options.reconnect, random);
}

/** An ioredis `retryStrategy`: the delay in milliseconds before reconnection attempt `times` (1-based). */
export function reconnectStrategy(policy: RetryPolicy, random = Math.random): (times: number) => number {
  let previous = policy.initialDelayMs;
  return (times) => {
    previous = Math.round(backoffDelay(policy, Math.max(1, times), previous, random));
    return previous;
  };
}
