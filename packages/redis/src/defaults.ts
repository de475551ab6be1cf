/**
 * The defaults of `redis()`, each with where it comes from. The README's options table is written from
 * this object; keep the two in step.
 */
export const redisDefaults = Object.freeze({
  /** Plugin name, and so the key of the resource in the started application. */
  name: 'redis',
  /** Not ioredis' `localhost`: Node may resolve it to `::1` first, where a Redis bound to 127.0.0.1 refuses. */
  host: '127.0.0.1',
  /** Redis' default port. */
  port: 6379,
  /** Redis' default database. */
  db: 0,
  /** Sent with `CLIENT SETNAME`, so the connection can be found in `CLIENT LIST`. */
  connectionName: 'startup',
  /**
   * Whole handshake budget in milliseconds: TCP (and TLS) connect, AUTH, SELECT, ready check. The origin
   * document cut health-check timeouts from 10 s to 3 s; a Redis on the same network answers in
   * milliseconds, so 3 s only fails a dead or silent server, and core retries.
   */
  connectTimeoutMs: 3_000,
  /**
   * Per-command timeout in milliseconds. ioredis has none, so a command to a server that stopped
   * answering waits forever. 5 s is the spec's health-check timeout.
   */
  commandTimeoutMs: 5_000,
  /** TCP keep-alive initial delay in milliseconds: the spec's `redis-server --tcp-keepalive 300`. */
  keepAliveMs: 300_000,
  /**
   * ioredis' own default. ioredis counts failed reconnection attempts, not reconnections: at every
   * `maxRetriesPerRequest + 1`-th it rejects every queued command. With 20 and the `reconnect` backoff below
   * that is ~31 s into an outage, so a queued command waits for the reconnection up to the command timeout;
   * 1 (the spec's `retry_on_timeout` read as one retry) failed commands ~50 ms into a 300 ms blip.
   */
  maxRetriesPerRequest: 20,
  /** After start, commands issued while reconnecting wait (bounded by the command timeout) rather than fail. */
  enableOfflineQueue: true,
  /** Reconnection after start: ioredis' own shape (50 ms growing to 2 s), made exponential with jitter. */
  reconnect: Object.freeze({
    initialDelayMs: 50,
    multiplier: 2,
    maxDelayMs: 2_000,
    jitter: Object.freeze({ proportional: 0.2 }),
  }),
  /** An unresolvable host name is retried: in Docker Compose or Kubernetes a service resolves only once it exists. */
  retryUnresolvedHost: true,
});
