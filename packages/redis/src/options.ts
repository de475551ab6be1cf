import type { ConnectionOptions } from 'node:tls';
import type { RetryOptions } from '@startup/core';
import type { PluginSettings } from '@startup/core/plugin-kit';
import type { RedisOptions } from 'ioredis';

/** ioredis options the plugin sets itself; pass them through the plugin's own options instead. */
export type ManagedRedisOption =
  | 'host'
  | 'port'
  | 'db'
  | 'username'
  | 'password'
  | 'tls'
  | 'path'
  | 'sentinels'
  | 'lazyConnect'
  | 'retryStrategy'
  | 'enableOfflineQueue'
  | 'connectTimeout'
  | 'commandTimeout'
  | 'keepAlive'
  | 'connectionName'
  | 'maxRetriesPerRequest';

/** Options of `redis()`. Every field is optional; see each default. */
export interface RedisPluginOptions<Name extends string = 'redis'> extends PluginSettings {
  /** Plugin name, the key of the client among the started resources. Defaults to `'redis'`. */
  name?: Name;
  /**
   * `redis://[[username][:password]@]host[:port][/db]`, or `rediss://…` for TLS. The fields below, when
   * given, override the URL's parts (e.g. a password from a secret store). Defaults to none.
   */
  url?: string;
  /** Host name or IP address. Defaults to `'127.0.0.1'`. */
  host?: string;
  /** TCP port. Defaults to `6379`. */
  port?: number;
  /** Database index, selected on every (re)connection. Defaults to `0`. */
  db?: number;
  /** ACL user name (Redis 6+). Defaults to none (the `default` user). */
  username?: string;
  /** Password; never shown in errors, logs or reports. Defaults to none. */
  password?: string;
  /** `true` or Node TLS options to connect with TLS. Defaults to `true` for `rediss://`, otherwise off. */
  tls?: boolean | ConnectionOptions;
  /** Client name set with `CLIENT SETNAME`, visible in `CLIENT LIST`. No spaces. Defaults to `'startup'`. */
  connectionName?: string;
  /** Budget of one connection handshake (connect, AUTH, SELECT, ready check), in milliseconds. Defaults to 3000. */
  connectTimeoutMs?: number;
  /** Timeout of every command, in milliseconds; `Infinity` for none (not advised). Defaults to 5000. */
  commandTimeoutMs?: number;
  /** TCP keep-alive initial delay, in milliseconds (`0`: the OS default). Defaults to 300000. */
  keepAliveMs?: number;
  /**
   * After start: failed reconnection attempts a queued or in-flight command waits through (ioredis rejects every
   * queued command at each `maxRetriesPerRequest + 1`-th); `Infinity` never rejects them so (still bounded by
   * `commandTimeoutMs`), `0` rejects them at the first failed attempt. Defaults to 20 (ioredis' default).
   */
  maxRetriesPerRequest?: number;
  /** After start: queue commands while reconnecting instead of failing them at once. Defaults to `true`. */
  enableOfflineQueue?: boolean;
  /**
   * After start: how the client reconnects when the connection drops, or `false` not to (the client ends
   * and health fails). Defaults to `{ initialDelayMs: 50, multiplier: 2, maxDelayMs: 2000, jitter: { proportional: 0.2 } }`,
   * no limit on attempts or time.
   */
  reconnect?: Pick<RetryOptions, 'initialDelayMs' | 'multiplier' | 'maxDelayMs' | 'jitter'> | false;
  /** Retry a start whose host does not resolve (`ENOTFOUND`); `false` fails at once. Defaults to `true`. */
  retryUnresolvedHost?: boolean;
  /** Further ioredis options, passed as they are (e.g. `family`, `keyPrefix`). Defaults to none. */
  ioredis?: Omit<RedisOptions, ManagedRedisOption>;
}

/** @deprecated The old name of {@link ManagedRedisOption}; removed in the next minor release. */
export type ManagedIoredisOption = ManagedRedisOption;
