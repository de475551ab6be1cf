import type { BreakerOptions, PluginTimeouts, RetryOptions } from '@startup/core';
import type { PoolConfig } from 'pg';

/**
 * Options of {@link postgres}. Give either `url` (or its alias `connectionString`) or the discrete
 * `host` / `port` / `database` / `user` fields; `password` goes with either. Fields left out fall back
 * to pg's own defaults and `PG*` environment variables.
 */
export interface PostgresOptions<Name extends string = 'postgres'> {
  /** Plugin name, and the key of the pool in the started application's resources. Defaults to `'postgres'`. */
  name?: Name;
  /** `postgres://user:password@host:5432/database?sslmode=require`; the scheme must be `postgres` or `postgresql`. */
  url?: string;
  /** pg's name for {@link PostgresOptions.url}; give one of the two. */
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
  /** Time to open one connection (TCP, TLS, auth), in milliseconds; also bounds waiting for a free one. Defaults to 5000. */
  connectionTimeoutMs?: number;
  /** An idle connection above `min` is closed after this long, in milliseconds; 0 keeps it. Defaults to 10000. */
  idleTimeoutMs?: number;
  /** A connection is closed and replaced after this long, in seconds; 0 never. Defaults to 3600 (origin `pool_recycle=3600`). */
  maxLifetimeSeconds?: number;
  /** Server-side `statement_timeout`, in milliseconds; 0 turns it off. Defaults to 30000. */
  statementTimeoutMs?: number;
  /** Client-side wait for a query's answer, in milliseconds; 0 turns it off. Defaults to `statementTimeoutMs + 5000` (0 when that is 0). */
  queryTimeoutMs?: number;
  /** TCP keepalive on every connection. Defaults to `true`. */
  keepAlive?: boolean;
  /** Idle time before the first keepalive probe, in milliseconds. Defaults to 30000. */
  keepAliveInitialDelayMs?: number;
  /** `application_name` of every connection, as shown in `pg_stat_activity`; not empty, at most 63 bytes. Defaults to `'startup'`. */
  applicationName?: string;
  /**
   * What a host name that does not resolve (`ENOTFOUND`) means: `'retry'` (the default; in Docker and
   * Kubernetes a service's name resolves only once it runs) or `'fail'` at once.
   */
  unknownHost?: 'retry' | 'fail';
  /** Other `pg.PoolConfig` fields (`ssl`, `types`, …) passed as they are. Fields set above are refused here. */
  pg?: Omit<PoolConfig, ManagedPgField>;
  /** Retry policy of the start; see `@startup/core`. Defaults to the runner's. */
  retry?: RetryOptions | false;
  /** Breaker fed by health checks and pool errors. Defaults to the runner's. */
  breaker?: BreakerOptions;
  /** Attempt, plugin, close and health timeouts, in milliseconds. Defaults to the runner's. */
  timeouts?: PluginTimeouts;
  /** When `true`, a failed start leaves the application degraded instead of failed. Defaults to `false`. */
  optional?: boolean;
}

/** pg fields this plugin sets itself; see {@link PostgresOptions.pg}. */
export type ManagedPgField =
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

/** The defaults of {@link PostgresOptions}; see the README for where each comes from. */
export const postgresDefaults = Object.freeze({
  name: 'postgres',
  max: 20,
  warmConnections: 2,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 10_000,
  maxLifetimeSeconds: 3_600,
  statementTimeoutMs: 30_000,
  /** Added to `statementTimeoutMs` for the default `queryTimeoutMs`, in milliseconds. */
  queryTimeoutMarginMs: 5_000,
  keepAlive: true,
  keepAliveInitialDelayMs: 30_000,
  applicationName: 'startup',
  unknownHost: 'retry',
} as const);
