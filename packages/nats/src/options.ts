import type { NodeConnectionOptions } from '@nats-io/transport-node';
import type { PluginSettings } from '@startup/core/plugin-kit';

/** Node TLS options as nats.js' Node transport takes them (`rejectUnauthorized`, `ca`, `cert`, `key`, `handshakeFirst`…). */
export type NodeTlsOptions = NonNullable<NodeConnectionOptions['tls']>;

/** nats.js connection options the plugin sets itself; use the plugin's own options instead. */
export type ManagedNatsOption =
  | 'servers'
  | 'port'
  | 'user'
  | 'pass'
  | 'token'
  | 'name'
  | 'tls'
  | 'timeout'
  | 'pingInterval'
  | 'maxPingOut'
  | 'reconnect'
  | 'maxReconnectAttempts'
  | 'reconnectTimeWait'
  | 'waitOnFirstConnect'
  | 'ignoreClusterUpdates';

/** Every {@link ManagedNatsOption}, for the check of `client`. */
export const managedNatsOptions: readonly ManagedNatsOption[] = [
  'servers',
  'port',
  'user',
  'pass',
  'token',
  'name',
  'tls',
  'timeout',
  'pingInterval',
  'maxPingOut',
  'reconnect',
  'maxReconnectAttempts',
  'reconnectTimeWait',
  'waitOnFirstConnect',
  'ignoreClusterUpdates',
];

/** JetStream handles to open at start. */
export interface NatsJetStreamOptions {
  /** JetStream domain (changes the API prefix). Defaults to none. */
  domain?: string;
  /** API prefix, for an account that imports JetStream from another. Defaults to `'$JS.API'`. */
  apiPrefix?: string;
  /** Timeout of each JetStream API request, in milliseconds. Defaults to 5000 (nats.js'). */
  timeoutMs?: number;
}

/** Options of `nats()`. Every field is optional; see each default. */
export interface NatsPluginOptions<Name extends string = 'nats'> extends PluginSettings {
  /** Plugin name, the key of the resource among the started resources. Defaults to `'nats'`. */
  name?: Name;
  /**
   * Servers as `host:port`, `nats://[user:pass@|token@]host:port` or `tls://…`, or one string of them
   * separated by commas (the `NATS_URL` convention; a comma inside credentials stays part of them).
   * Defaults to `'nats://127.0.0.1:4222'`.
   */
  servers?: string | readonly string[];
  /** User name; needs `pass`. Overrides credentials in the URL. Defaults to none. */
  user?: string;
  /** Password; never shown in errors, logs or reports. Defaults to none. */
  pass?: string;
  /** Authentication token (not with `user`); never shown. Defaults to none. */
  token?: string;
  /** Node TLS options, or `null` to refuse TLS. Defaults to `{}` (TLS required) for `tls://` servers, else none. */
  tls?: NodeTlsOptions | null;
  /** Connection name sent to the server, shown in its `/connz`. Defaults to `'startup'`. */
  connectionName?: string;
  /** Budget of one connection handshake (TCP, TLS, INFO, CONNECT, PONG), in milliseconds. Defaults to 2000. */
  connectTimeoutMs?: number;
  /** Interval of the client's pings, in milliseconds. Defaults to 120000 (the spec's 120 s). */
  pingIntervalMs?: number;
  /** Unanswered pings before the connection is stale and reconnects. Defaults to 2. */
  maxPingOut?: number;
  /**
   * After start: reconnection attempts per server before the client closes for good; `Infinity` never gives
   * up (`-1` is taken to mean the same, as in nats.js). Defaults to `Infinity` (the spec's 5: see README).
   */
  maxReconnectAttempts?: number;
  /** After start: wait between reconnection attempts to one server, in milliseconds. Defaults to 2000. */
  reconnectTimeWaitMs?: number;
  /** Ignore servers learnt from the cluster's gossip and use only `servers`. Defaults to `false`. */
  ignoreClusterUpdates?: boolean;
  /** `true` or options to open JetStream handles and check the account at start. Defaults to `false`. */
  jetstream?: boolean | NatsJetStreamOptions;
  /** Retry a start whose host does not resolve (`ENOTFOUND`); `false` fails at once. Defaults to `true`. */
  retryUnresolvedHost?: boolean;
  /** Further nats.js connection options, passed as they are (e.g. `inboxPrefix`, `noEcho`). Defaults to none. */
  client?: Omit<NodeConnectionOptions, ManagedNatsOption>;
}
