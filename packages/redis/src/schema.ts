import { optionSchema } from '@startup/core/plugin-kit';
import type { RedisPluginOptions } from './options.js';

/**
 * The options of `redis()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link redisDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const redisOptionSchema = optionSchema<RedisPluginOptions<string>>()(
  {
    name: { default: 'redis', from: 'this package', why: 'Key of the client in `app.resources`.' },
    url: {
      from: '—',
      why: '`redis://[[user][:password]@]host[:port][/db]` or `rediss://…` (TLS). Explicit fields below override its parts, e.g. a password from a secret store. Query strings are rejected.',
    },
    host: {
      default: '127.0.0.1',
      from: "Redis' default, but not ioredis' `localhost`",
      why: 'Node may resolve `localhost` to `::1` first, where a Redis bound to 127.0.0.1 refuses.',
    },
    port: { default: 6379, from: "Redis' default", why: '' },
    db: {
      default: 0,
      from: "Redis' default",
      why: 'Selected on every (re)connection. An index the server does not have fails at once (`STARTUP_ERR_REDIS_DB_INDEX`); ioredis alone would silently stay on 0.',
    },
    username: { from: '—', why: 'ACL user (Redis 6+); the `default` user when left out.' },
    password: { from: '—', why: 'Never shown in errors, logs or reports.' },
    tls: { shown: 'on for `rediss://`', from: '—', why: '`true` or Node TLS options.' },
    connectionName: {
      default: 'startup',
      from: 'this package',
      why: "Sent with `CLIENT SETNAME`: find the service's connection in `CLIENT LIST`. Printable ASCII, no spaces.",
    },
    connectTimeoutMs: {
      default: 3_000,
      from: 'origin: health-check timeouts cut from 10 s to 3 s',
      why: "Budget of one whole handshake: TCP (and TLS) connect, AUTH, SELECT and ioredis' ready check. ioredis' own `connectTimeout` stops at the TCP connect, so a server that accepts and never answers would hang the attempt; the plugin bounds the whole handshake, then core retries.",
    },
    commandTimeoutMs: {
      default: 5_000,
      from: 'origin: 5 s health-check timeout',
      why: 'ioredis has no command timeout: a command to a server that stopped answering waits forever. `Infinity` removes it (not advised). Blocking commands (`BLPOP` with a long timeout) and `SUBSCRIBE` should use `client.duplicate({ commandTimeout: undefined })`.',
    },
    keepAliveMs: {
      default: 300_000,
      from: 'origin: `redis-server --tcp-keepalive 300`',
      why: 'Client-side TCP keep-alive with the same 300 s delay, so a half-open connection is noticed from both ends (`0`: the OS default delay).',
    },
    maxRetriesPerRequest: {
      default: 20,
      from: "ioredis' default (not the origin's `retry_on_timeout=True`)",
      why: "ioredis counts failed reconnection attempts, not reconnections: at every `maxRetriesPerRequest + 1`-th it rejects every queued command (`MaxRetriesPerRequestError`). With 20 and the default `reconnect`, that is ~31 s into an outage, then every ~42 s, so a command issued while reconnecting waits for the reconnection up to `commandTimeoutMs`. `1` (redis-py's single retry) failed a GET ~50 ms into a 300 ms outage. `0`: queued commands fail at the first failed attempt; `Infinity`: never (only `commandTimeoutMs` bounds them, and the queue grows for the whole outage). After start only.",
    },
    enableOfflineQueue: {
      default: true,
      shown: '`true` (after start)',
      from: "ioredis' default",
      why: 'While reconnecting after start, commands wait for the reconnection, each bounded by `commandTimeoutMs`, rather than fail. Measured with the defaults: a command issued during a 300 ms outage resolved ~0.4 s later; during a 7 s outage it failed with "Command timed out" after 5 s. **A command that timed out is not withdrawn:** ioredis still sends it once the connection is back (unless a `maxRetriesPerRequest` flush dropped it first), and an INCR that timed out during the 7 s outage was applied after the reconnection; so is a command in flight when the connection dropped. Treat a timeout as "unknown", not "not done". `false`: commands fail at once while disconnected. While starting it is always off: nothing is queued before the PING succeeded.',
    },
    reconnect: {
      default: Object.freeze({
        initialDelayMs: 50,
        multiplier: 2,
        maxDelayMs: 2_000,
        jitter: Object.freeze({ proportional: 0.2 }),
      }),
      shown: '`{ initialDelayMs: 50, multiplier: 2, maxDelayMs: 2000, jitter: { proportional: 0.2 } }`',
      from: "ioredis' own 50 ms → 2 s, made exponential with jitter (core's `backoffDelay`)",
      why: 'Reconnection after start, without limit: a long-lived service keeps trying while health and the breaker report it down. `false`: the client ends on the first loss. While starting the client never reconnects (see below).',
    },
    retryUnresolvedHost: { default: true, from: 'this package', why: 'See "Unresolvable host" below.' },
    ioredis: {
      shown: '`{}`',
      from: '—',
      why: 'Other ioredis options, passed as they are (`keyPrefix`, `family`…). The options above, `lazyConnect`, `retryStrategy` and the connection fields are rejected here (`ioredis.retryStrategy`: set by the plugin).',
    },
  },
  [
    [
      '_(no option)_ max connections',
      '—',
      'origin: `max_connections=50`',
      'Has no ioredis equivalent: redis-py keeps a pool of up to 50 sockets, one command per socket at a time; ioredis multiplexes every command of a client over **one** connection with pipelining, so one client is one server connection and there is nothing to cap. Blocking commands and pub/sub hold their connection: give them a `client.duplicate()` each.',
    ],
  ],
);

/** The defaults of `redis()`; see {@link redisOptionSchema} (and the README) for where each comes from. */
export const redisDefaults = redisOptionSchema.defaults;
