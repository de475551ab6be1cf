import { optionSchema } from '@startup/core/plugin-kit';
import type { MysqlPluginOptions } from './options.js';

/**
 * The options of `mysql()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link mysqlDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const mysqlOptionSchema = optionSchema<MysqlPluginOptions<string>>()(
  {
    name: {
      default: 'mysql',
      from: 'this package',
      why: 'Key of the pool in `resources`; change it for a second database.',
    },
    url: {
      from: '—',
      why: '`mysql://user:password@host:3306/database` (scheme `mysql` or `mariadb`, no query string: client options go in `mysql2`). Not with `host`, `port`, `database`, `user`.',
    },
    host: { shown: "mysql2's (`localhost`)", from: 'mysql2', why: 'Server host name or IP address.' },
    port: { default: 3306, from: 'MySQL', why: 'Server port.' },
    database: {
      shown: 'none',
      from: 'mysql2',
      why: 'Database to use; without one, queries name their database.',
    },
    user: { shown: "mysql2's (none)", from: 'mysql2', why: 'User to log in as.' },
    password: {
      shown: 'none',
      from: 'mysql2',
      why: 'Never shown. Given once: not with a URL that has one.',
    },
    max: {
      default: 20,
      from: 'origin `pool_size=20`',
      why: "The steady-state pool size the spec asked for (mysql2 `connectionLimit`, whose default is 10). The server's `max_connections` defaults to 151.",
    },
    warmConnections: {
      default: 2,
      from: 'this package (as postgres)',
      why: 'Covers the first health check and first request without a connect; small so a fleet restarting at once does not stampede the server. At most `max`.',
    },
    maxIdle: {
      shown: '`warmConnections`',
      from: 'this package',
      why: "mysql2 `maxIdle` (its default: `connectionLimit`). Below `max`, mysql2's pruning runs and closes connections idle longer than `idleTimeoutMs`; equal to `max` it never prunes, and idle connections stay until the server's `wait_timeout` (8 h) cuts them.",
    },
    connectTimeoutMs: {
      default: 5_000,
      from: 'origin 5 s health-check timeout',
      why: "Opening one connection (TCP, TLS, auth); mysql2's default is 10 s, as long as core's whole attempt. Below core's 10 s attempt timeout, so the attempt fails with a classified error. Must be > 0.",
    },
    idleTimeoutMs: {
      default: 60_000,
      from: "mysql2's default",
      why: "Idle connections go back to the server after a minute (when `maxIdle` < `max`), far below the server's `wait_timeout`, so the server never cuts a pooled connection first.",
    },
    maxLifetimeSeconds: {
      default: 3_600,
      from: 'origin `pool_recycle=3600`',
      why: 'mysql2 has no lifetime: the plugin closes a connection older than this when it is released, instead of returning it. `0` never.',
    },
    closeGraceMs: {
      default: 5_000,
      from: 'this package (as postgres)',
      why: "`close` waits this long for queries in flight, then destroys the connections left: a query sent into a network that stopped answering would otherwise hold the close for good (mysql2 sets no query timeout), past core's 10 s close timeout. `0` destroys at once.",
    },
    keepAlive: {
      default: true,
      from: "mysql2's default",
      why: 'Finds dead peers and keeps NAT / load-balancer state alive on long-lived idle connections.',
    },
    keepAliveInitialDelayMs: {
      default: 30_000,
      from: 'this package (as postgres)',
      why: "mysql2's 0 means the OS default (2 h on Linux), longer than most idle cut-offs (e.g. 350 s).",
    },
    applicationName: {
      default: 'startup',
      from: 'this package',
      why: 'Sent as the `program_name` connection attribute (shown in `performance_schema.session_connect_attrs` when that is on). Not empty, at most 64 characters.',
    },
    retryUnresolvedHost: {
      default: true,
      from: 'this package (as every connector)',
      why: 'See "Why `ENOTFOUND` is retried by default" above.',
    },
    mysql2: {
      shown: '`{}`',
      from: '—',
      why: 'Other mysql2 `PoolOptions` (`ssl`, `charset`, `timezone`, `queueLimit`…); fields set above are refused here.',
    },
  },
  [
    [
      '_(origin `max_overflow=40`)_',
      'not mapped',
      'origin',
      'mysql2 has one ceiling (`connectionLimit`) and no temporary overflow; raise `max` for peaks.',
    ],
    [
      '`waitForConnections`',
      '`true` (fixed)',
      "mysql2's default",
      'A query waits for a free connection rather than failing at once when all `max` are busy.',
    ],
    [
      '_statement timeout_',
      'not set',
      'this package',
      "MySQL (`max_execution_time`, ms, SELECT only) and MariaDB (`max_statement_time`, s) differ; set the one of your server per query or in the server's configuration.",
    ],
  ],
);

/** The defaults of `mysql()`; see {@link mysqlOptionSchema} (and the README) for where each comes from. */
export const mysqlDefaults = mysqlOptionSchema.defaults;
