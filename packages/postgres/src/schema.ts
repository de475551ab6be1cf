import { optionSchema } from '@startup/core/plugin-kit';
import type { PostgresPluginOptions } from './options.js';

/**
 * The options of `postgres()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link postgresDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const postgresOptionSchema = optionSchema<PostgresPluginOptions<string>>()(
  {
    name: {
      default: 'postgres',
      from: 'this package',
      why: 'Key of the pool in `resources`; change it for a second database.',
    },
    url: {
      from: '—',
      why: '`postgres://user:password@host:5432/database?sslmode=require` (scheme `postgres` or `postgresql`). Not with `host`, `port`, `database`, `user`.',
    },
    connectionString: { from: 'pg', why: "pg's name for `url`; give one of the two." },
    host: {
      shown: "pg's (`PGHOST` or `localhost`)",
      from: 'pg',
      why: 'Server host name, IP address or Unix socket directory.',
    },
    port: { shown: "pg's (`PGPORT` or `5432`)", from: 'pg', why: 'Server port.' },
    database: { shown: "pg's (`PGDATABASE` or the user name)", from: 'pg', why: 'Database name.' },
    user: { shown: "pg's (`PGUSER` or the OS user)", from: 'pg', why: 'Role to log in as.' },
    password: {
      shown: "pg's (`PGPASSWORD`, `~/.pgpass`)",
      from: 'pg',
      why: 'A string, or a function returning one (rotating IAM tokens). Never shown. Given once: not with a URL that has one (in its user info or as `?password=`).',
    },
    max: {
      default: 20,
      from: 'origin `pool_size=20`',
      why: 'The steady-state pool size the spec asked for.',
    },
    min: {
      shown: '`warmConnections`',
      from: 'this package',
      why: 'pg closes idle connections above `min` after `idleTimeoutMs`; keeping `min` at the warm count keeps the warm-up worth it after the first 10 s.',
    },
    warmConnections: {
      default: 2,
      from: 'this package (sample app: 10)',
      why: 'Covers the first health check and first request without a connect; small so a fleet restarting at once does not stampede the server. At most `max`.',
    },
    connectTimeoutMs: {
      default: 5_000,
      from: 'origin 5 s health-check timeout',
      why: "Opening one connection (TCP, TLS, auth); pg's default 0 waits forever on a server that accepts and never answers. Also bounds waiting for a free client. Must be > 0. Below core's 10 s attempt timeout, so the attempt fails with a classified error. Was `connectionTimeoutMs` (still accepted, deprecated).",
    },
    connectionTimeoutMs: {
      shown: '—',
      from: 'deprecated',
      why: 'The old name of `connectTimeoutMs`; removed in the next minor release.',
    },
    idleTimeoutMs: {
      default: 10_000,
      from: "pg's default",
      why: 'Extra connections above `min` go back to the server when idle. `0` keeps them.',
    },
    maxLifetimeSeconds: {
      default: 3_600,
      from: 'origin `pool_recycle=3600`',
      why: 'Connections are replaced hourly (server-side memory, load-balancer failover, credentials). `0` never.',
    },
    statementTimeoutMs: {
      default: 30_000,
      from: 'this package',
      why: 'Server-side `statement_timeout`: a runaway query cannot hold a pooled connection forever. `0` turns it off (e.g. migrations).',
    },
    queryTimeoutMs: {
      shown: '`statementTimeoutMs + 5000`',
      from: 'this package',
      why: 'Client-side backstop for a server or network that stops answering, after the server-side timeout had its chance. `0` when the statement timeout is 0.',
    },
    closeGraceMs: {
      default: 5_000,
      from: 'this package',
      why: "`close` waits this long for queries in flight, then destroys the connections left (the server rolls their work back): a query sent into a network that stopped answering would otherwise hold the close until `queryTimeoutMs`, past core's 10 s close timeout. `0` destroys at once.",
    },
    keepAlive: {
      default: true,
      from: "pg's `keepAlive` (default off)",
      why: 'Finds dead peers and keeps NAT / load-balancer state alive on long-lived idle connections.',
    },
    keepAliveInitialDelayMs: {
      default: 30_000,
      from: 'this package',
      why: "pg's 0 means the OS default (2 h on Linux), longer than most idle cut-offs (e.g. 350 s).",
    },
    applicationName: {
      default: 'startup',
      from: 'this package',
      why: 'Shows the pool in `pg_stat_activity` (the integration tests count connections by it). Not empty, at most 63 bytes.',
    },
    retryUnresolvedHost: {
      default: true,
      from: 'this package (as every connector)',
      why: "See \"Why `ENOTFOUND` is retried by default\" above. Was `unknownHost: 'retry' | 'fail'` (still accepted, deprecated).",
    },
    unknownHost: {
      shown: '—',
      from: 'deprecated',
      why: "The old form of `retryUnresolvedHost` (`'fail'` is `false`); removed in the next minor release.",
    },
    pg: {
      shown: '`{}`',
      from: '—',
      why: 'Other `pg.PoolConfig` fields (`ssl`, `types`, `idle_in_transaction_session_timeout`…); fields set above are refused here.',
    },
  },
  [
    [
      '_(origin `max_overflow=40`)_',
      'not mapped',
      'origin',
      "pg has one ceiling (`max`) and no temporary overflow. SQLAlchemy's behaviour (20 kept, up to 60 at peak, extras closed on return) is `max: 60, min: 20`; it is not the default because 60 connections per process is 3 processes' worth of the origin server's `max_connections=200`.",
    ],
    [
      '`allowExitOnIdle`',
      '`false` (fixed)',
      "pg's default",
      'A service is kept alive by its server; the pool must not decide when the process may exit. `close()` ends it.',
    ],
  ],
);

/** The defaults of `postgres()`; see {@link postgresOptionSchema} (and the README) for where each comes from. */
export const postgresDefaults = postgresOptionSchema.defaults;
