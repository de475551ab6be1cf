import type { PluginSettings } from '@startup/core/plugin-kit';
import type { PoolOptions } from 'mysql2/promise';

/**
 * Options of `mysql()`. Give either `url` or the discrete `host` / `port` / `database` / `user` fields;
 * `password` goes with either. Works with MySQL and MariaDB.
 */
export interface MysqlPluginOptions<Name extends string = 'mysql'> extends PluginSettings {
  /** Plugin name, and the key of the pool in the started application's resources. Defaults to `'mysql'`. */
  name?: Name;
  /** `mysql://user:password@host:3306/database`; the scheme must be `mysql` or `mariadb`; no query string. */
  url?: string;
  /** Server host name or IP address. Defaults to `'localhost'` (mysql2's). */
  host?: string;
  /** Server port. Defaults to 3306. */
  port?: number;
  /** Database to use. Defaults to none (mysql2's): queries then name their database. */
  database?: string;
  /** User to log in as. Defaults to mysql2's (none, the server's anonymous user). */
  user?: string;
  /** Password. Never appears in any message. Not with a URL that has one. Defaults to none. */
  password?: string;
  /** Most connections the pool opens (mysql2 `connectionLimit`). Defaults to 20 (origin `pool_size=20`). */
  max?: number;
  /** Connections opened in parallel during start-up, before the plugin is ready. Defaults to 2; at most `max`. */
  warmConnections?: number;
  /** Idle connections kept past `idleTimeoutMs` pruning (mysql2 `maxIdle`). Defaults to `warmConnections`; at most `max`. */
  maxIdle?: number;
  /** Budget of one connection handshake (TCP, TLS, auth), in milliseconds. Defaults to 5000. */
  connectTimeoutMs?: number;
  /** An idle connection is closed after this long, in milliseconds (mysql2 `idleTimeout`). Defaults to 60000. */
  idleTimeoutMs?: number;
  /** A connection is closed instead of returned to the pool once older than this, in seconds; 0 never. Defaults to 3600 (origin `pool_recycle=3600`). */
  maxLifetimeSeconds?: number;
  /**
   * How long `close` lets queries in flight finish (and connections say goodbye), in milliseconds; then it destroys
   * the connections left. 0 destroys them at once. Keep it below core's close timeout (`closeMs`, 10000 by
   * default). Defaults to 5000.
   */
  closeGraceMs?: number;
  /** TCP keepalive on every connection. Defaults to `true`. */
  keepAlive?: boolean;
  /** Idle time before the first keepalive probe, in milliseconds. Defaults to 30000. */
  keepAliveInitialDelayMs?: number;
  /** The `program_name` connection attribute of every connection; not empty, at most 64 characters. Defaults to `'startup'`. */
  applicationName?: string;
  /**
   * Retry a start whose host does not resolve (`ENOTFOUND`): in Docker and Kubernetes a service's name resolves
   * only once it runs. `false` fails at once. Defaults to `true`.
   */
  retryUnresolvedHost?: boolean;
  /** Other mysql2 `PoolOptions` (`ssl`, `charset`, `timezone`, …) passed as they are. Fields set above are refused here. */
  mysql2?: Omit<PoolOptions, ManagedMysqlOption>;
}

/** mysql2 options the plugin sets itself; pass them through the plugin's own options instead (see {@link MysqlPluginOptions.mysql2}). */
export type ManagedMysqlOption =
  | 'uri'
  | 'host'
  | 'port'
  | 'socketPath'
  | 'database'
  | 'user'
  | 'password'
  | 'password1'
  | 'password2'
  | 'password3'
  | 'connectionLimit'
  | 'maxIdle'
  | 'idleTimeout'
  | 'connectTimeout'
  | 'enableKeepAlive'
  | 'keepAliveInitialDelay'
  | 'connectAttributes'
  | 'waitForConnections'
  | 'pool'
  | 'stream';

/** @deprecated The old name of {@link ManagedMysqlOption}; removed in the next minor release. */
export type ManagedMysqlField = ManagedMysqlOption;
