import type { RedisPluginOptions } from './options.js';

// An object rather than a list, so that the compiler reports an option added to (or removed from) the type.
const pluginOptions: { readonly [K in keyof RedisPluginOptions]-?: true } = {
  name: true,
  url: true,
  host: true,
  port: true,
  db: true,
  username: true,
  password: true,
  tls: true,
  connectionName: true,
  connectTimeoutMs: true,
  commandTimeoutMs: true,
  keepAliveMs: true,
  maxRetriesPerRequest: true,
  enableOfflineQueue: true,
  reconnect: true,
  retryUnresolvedHost: true,
  ioredis: true,
  optional: true,
  retry: true,
  breaker: true,
  timeouts: true,
};

/** The options of `redis()`. */
export const redisOptionKeys: readonly string[] = Object.keys(pluginOptions);

/** The options of `redis({ reconnect: { … } })`: the backoff, no limit (reconnection never gives up). */
export const reconnectOptionKeys = [
  'initialDelayMs',
  'multiplier',
  'maxDelayMs',
  'jitter',
] as const satisfies readonly (keyof Exclude<RedisPluginOptions['reconnect'], false | undefined>)[];
