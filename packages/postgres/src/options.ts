import type { PluginSettings } from '@startup/core/plugin-kit';
import type { PoolConfig } from 'pg';

/**
 * Options of `postgres()`. Give either `url` (or its alias `connectionString`) or the discrete
 * `host` / `port` / `database` / `user` fields; `password` goes with either. Fields left out fall back
 * to pg's own defaults and `PG*` environment variables.
 */
export interface PostgresPluginOptions<Name extends string = 'postgres'> extends PluginSettings {
  /** Plugin name, and the key of the pool in the started application's resources. Defaults to `'postgres'`. */
  name?: Name;
  /** `postgres://user:password@host:5432/database?sslmode=require`; the scheme must be `postgres` or `postgresql`. */
  url?: string;
  /** pg's name for {@link PostgresPluginOptions.url}; give one of the two. */
  connectionString?: string;
  /** Server host name, IP address or Unix socket directory. Defaults to pg's (`PGHOST` or `localhost`). */
  host?: string;
  /** Server port. Defaults to pg's (`PGPORT` or 5432). */
  port?: number;
  /** Database name. Defaults to pg's (`PGDATABASE` or the user name). */
  database?: string;
  /** Role to log in as. Defaults to pg's (`PGUSER` or the OS user). */
  user?: string;
  /**
   * Password, or a function returning one (rotating IAM tokens). Never appears in any message. Not with a
   * URL that has one (in its user info or as `?password=`). Defaults to pg's (`PGPASSWORD`, `~/.pgpass`).
   */
  password?: string | (() => string | Promise<string>);
  /** Most connections the pool opens (pg `max`). Defaults to 20 (origin `pool_size=20`). */
  max?: number;
  /** Connections the pool keeps open when idle (pg `min`). Defaults to `warmConnections`. */
  min?: number;
  /** Connections opened in parallel during start-up, before the plugin is ready. Defaults to 2; at most `max`. */
  warmConnections?: number;
  /** Budget of one connection handshake (TCP, TLS, auth), in milliseconds; also bounds waiting for a free one. Defaults to 5000. */
  connectTimeoutMs?: number;
  /** @deprecated The old name of {@link PostgresPluginOptions.connectTimeoutMs}; removed in the next minor release. */
  connectionTimeoutMs?: number;
  /** An idle connection above `min` is closed after this long, in milliseconds; 0 keeps it. Defaults to 10000. */
  idleTimeoutMs?: number;
  /** A connection is closed and replaced after this long, in seconds; 0 never. Defaults to 3600 (origin `pool_recycle=3600`). */
  maxLifetimeSeconds?: number;
  /** Server-side `statement_timeout`, in milliseconds; 0 turns it off. Defaults to 30000. */
  statementTimeoutMs?: number;
  /** Client-side wait for a query's answer, in milliseconds; 0 turns it off. Defaults to `statementTimeoutMs + 5000` (0 when that is 0). */
  queryTimeoutMs?: number;
  /**
   * How long `close` lets queries in flight finish (and idle connections say goodbye), in milliseconds; then it
   * destroys the connections left. 0 destroys them at once. Keep it below core's close timeout (`closeMs`,
   * 10000 by default). Defaults to 5000.
   */
  closeGraceMs?: number;
  /** TCP keepalive on every connection. Defaults to `true`. */
  keepAlive?: boolean;
  /** Idle time before the first keepalive probe, in milliseconds. Defaults to 30000. */
  keepAliveInitialDelayMs?: number;
  /** `application_name` of every connection, as shown in `pg_stat_activity`; not empty, at most 63 bytes. Defaults to `'startup'`. */
  applicationName?: string;
  /**
   * Retry a start whose host does not resolve (`ENOTFOUND`): in Docker and Kubernetes a service's name resolves
   * only once it runs. `false` fails at once. Defaults to `true`.
   */
  retryUnresolvedHost?: boolean;
  /** @deprecated `'fail'` is `retryUnresolvedHost: false`; removed in the next minor release. */
  unknownHost?: 'retry' | 'fail';
  /** Other `pg.PoolConfig` fields (`ssl`, `types`, …) passed as they are. Fields set above are refused here. */
  pg?: Omit<PoolConfig, ManagedPostgresOption>;
}

/** pg options the plugin sets itself; pass them through the plugin's own options instead (see {@link PostgresPluginOptions.pg}). */
export type ManagedPostgresOption =
  | 'connectionString'
  | 'host'
  | 'port'
  | 'database'
  | 'user'
  | 'password'
  | 'max'
  | 'min'
  | 'connectionTimeoutMillis'
  | 'idleTimeoutMillis'
  | 'maxLifetimeSeconds'
  | 'statement_timeout'
  | 'query_timeout'
  | 'keepAlive'
  | 'keepAliveInitialDelayMillis'
  | 'application_name'
  | 'allowExitOnIdle'
  | 'Client';

/** @deprecated The old name of {@link PostgresPluginOptions}; removed in the next minor release. */
export type PostgresOptions<Name extends string = 'postgres'> = PostgresPluginOptions<Name>;

/** @deprecated The old name of {@link ManagedPostgresOption}; removed in the next minor release. */
export type ManagedPgField = ManagedPostgresOption;
