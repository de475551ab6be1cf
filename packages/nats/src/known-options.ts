import type { NatsJetStreamOptions, NatsPluginOptions } from './options.js';

// Objects rather than lists, so that the compiler reports an option added to (or removed from) the types.
const pluginOptions: { readonly [K in keyof NatsPluginOptions]-?: true } = {
  name: true,
  servers: true,
  user: true,
  pass: true,
  token: true,
  tls: true,
  connectionName: true,
  connectTimeoutMs: true,
  pingIntervalMs: true,
  maxPingOut: true,
  maxReconnectAttempts: true,
  reconnectTimeWaitMs: true,
  ignoreClusterUpdates: true,
  jetstream: true,
  retryUnresolvedHost: true,
  client: true,
  optional: true,
  retry: true,
  breaker: true,
  timeouts: true,
};
const jetStreamOptions: { readonly [K in keyof NatsJetStreamOptions]-?: true } = {
  domain: true,
  apiPrefix: true,
  timeoutMs: true,
};

/** The options of `nats()`. */
export const natsOptionKeys: readonly string[] = Object.keys(pluginOptions);
/** The options of `nats({ jetstream: { … } })`. */
export const jetStreamOptionKeys: readonly string[] = Object.keys(jetStreamOptions);
