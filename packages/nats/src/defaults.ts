/**
 * The defaults of `nats()`, each with where it comes from. The README's options table is written from
 * this object; keep the two in step.
 */
export const natsDefaults = Object.freeze({
  /** Plugin name, and so the key of the resource in the started application. */
  name: 'nats',
  /** nats.js' own default server. `127.0.0.1`, not `localhost`: Node may try `::1` first. */
  servers: Object.freeze(['nats://127.0.0.1:4222']),
  /** Sent in CONNECT, so the connection can be found in the server's `/connz` (monitoring). */
  connectionName: 'startup',
  /**
   * Budget of one connection handshake in milliseconds (TCP, TLS, INFO, CONNECT, PONG). The origin ran
   * nats.py, whose `connect_timeout` is 2 s; nats.js' 20 s would let one blackholed attempt eat most of
   * core's 10 s attempt budget. A server on the same network answers in milliseconds.
   */
  connectTimeoutMs: 2_000,
  /** The spec's `ping_interval=120` (seconds), which is also nats.js' default: 120 000 ms. */
  pingIntervalMs: 120_000,
  /** Unanswered pings before the connection is declared stale: nats.py's `max_outstanding_pings` and nats.js' default. */
  maxPingOut: 2,
  /**
   * After start: reconnection attempts per server before the client closes for good. The spec
   * says 5 (~10 s of outage with a 2 s wait). Not the default: a closed client never comes back, health
   * fails for ever and liveness (which never touches NATS) does not restart the process. Unlimited instead;
   * health and the breaker report the outage.
   */
  maxReconnectAttempts: Number.POSITIVE_INFINITY,
  /** After start: wait between reconnection attempts to one server, in milliseconds (nats.js and nats.py: 2 s). */
  reconnectTimeWaitMs: 2_000,
  /** nats.js' default: the server's cluster gossip adds the other cluster members to the server list. */
  ignoreClusterUpdates: false,
  /** JetStream handles are opened only when asked: plain NATS users need not install `@nats-io/jetstream`. */
  jetstream: false,
  /** Timeout of a JetStream API request in milliseconds, nats.js' default. */
  jetstreamTimeoutMs: 5_000,
  /** An unresolvable host name is retried: in Docker Compose or Kubernetes a service resolves only once it exists. */
  retryUnresolvedHost: true,
});
