import { optionSchema } from '@startup/core/plugin-kit';
import type { NatsPluginOptions } from './options.js';

/**
 * The options of `nats()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link natsDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const natsOptionSchema = optionSchema<NatsPluginOptions<string>>()({
  name: { default: 'nats', from: 'this package', why: 'Key of the resource among the started resources.' },
  servers: {
    default: Object.freeze(['nats://127.0.0.1:4222']),
    shown: "`'nats://127.0.0.1:4222'`",
    from: 'nats.js',
    why: '`host:port`, `nats://`, `tls://`; a list, or one comma-separated string (`NATS_URL`), where a comma inside credentials stays part of them (`nats://u:pa,ss@h`: an entry with a scheme and no `@` runs to the next piece with one, unless a scheme or a complete `host:port` comes first; so `a:4222,u:p@b` is a list, while `nats://a:1,t@c` reads as one URL: give such lists as an array). `127.0.0.1`, not `localhost`, which Node may try as `::1` first. WebSocket URLs are refused (they need `wsconnect`).',
  },
  user: {
    from: '—',
    why: 'Overrides credentials in the URL (`nats://user:pass@host`); needs `pass`. nats.js itself ignores URL credentials; this plugin passes them on.',
  },
  pass: { from: '—', why: 'Password, with `user`. Never shown in any message.' },
  token: {
    from: '—',
    why: 'Authentication token (`nats://token@host` in a URL, as in the Go and Python clients); not with `user`. Never shown in any message.',
  },
  tls: {
    shown: '`{}` for `tls://`, else none',
    from: 'nats.js',
    why: '`tls://` means TLS is required; nats.js only strips the scheme, so the plugin sets `tls: {}` for it.',
  },
  connectionName: {
    default: 'startup',
    from: 'this package',
    why: "Sent in CONNECT; the server shows it in `/connz`, so the service's connections can be found.",
  },
  connectTimeoutMs: {
    default: 2_000,
    from: 'nats.py `connect_timeout` (2 s), which the origin used',
    why: "One handshake (TCP, TLS, INFO, CONNECT, PONG). nats.js' 20 s would let a single blackholed attempt use most of core's 10 s attempt budget.",
  },
  pingIntervalMs: {
    default: 120_000,
    from: "origin `ping_interval=120` (s); also nats.js' default",
    why: 'Client keepalive ping.',
  },
  maxPingOut: {
    default: 2,
    from: "nats.py `max_outstanding_pings`, nats.js' default",
    why: 'A silent connection is declared stale and reconnected after about `(maxPingOut + 1) × pingIntervalMs` (~6 min). The health check (5 s timeout by default) reports it much sooner.',
  },
  maxReconnectAttempts: {
    default: Number.POSITIVE_INFINITY,
    from: 'origin says **5**; not kept',
    why: "Per server, 2 s apart: 5 attempts ride out ~10 s of outage, then nats.js closes the client for good. A closed client never comes back, health fails for ever, and liveness (which never touches NATS) does not restart the process: a zombie. Unlimited reconnection plus health and breaker reporting is the safer default for a long-lived service. Set `5` to get the origin's behaviour: the give-up is then reported (`STARTUP_ERR_NATS_CLOSED`). `-1` means unlimited (nats.js' spelling); `0` means no reconnection.",
  },
  reconnectTimeWaitMs: {
    default: 2_000,
    from: 'nats.js and nats.py (2 s)',
    why: "Wait between attempts to one server, plus nats.js' jitter (100 ms, 1 s with TLS).",
  },
  ignoreClusterUpdates: {
    default: false,
    from: 'nats.js',
    why: 'Cluster gossip adds the other members to the list; set `true` to use only `servers` (behind a proxy or load balancer).',
  },
  jetstream: {
    default: false,
    from: 'this package',
    why: "`true` or `{ domain, apiPrefix, timeoutMs }` opens `js`/`jsm` and checks the account at start. Off by default so plain NATS users need not install `@nats-io/jetstream`. `jetstream.timeoutMs`: timeout of each JetStream API request, 5000 (nats.js').",
  },
  retryUnresolvedHost: {
    default: true,
    from: 'this package (as every connector)',
    why: 'See ENOTFOUND below.',
  },
  client: {
    shown: '`{}`',
    from: '—',
    why: 'Further nats.js options (`inboxPrefix`, `noEcho`, `authenticator`…). The options above are refused here (`client.<name>`): the plugin sets them.',
  },
});

/** The defaults of `nats()`; see {@link natsOptionSchema} (and the README) for where each comes from. */
export const natsDefaults = natsOptionSchema.defaults;

/** Timeout of a JetStream API request in milliseconds, nats.js' default. */
export const jetStreamTimeoutMs = 5_000;
