import type { NodeConnectionOptions } from '@nats-io/transport-node';
import type { ResolvedNatsOptions } from './resolve-options.js';

/**
 * nats.js options for `connect()`. nats.js decides `reconnect` once, at connect time, so it is on from
 * the start: the first connect never loops anyway (without `waitOnFirstConnect`, each server is dialled
 * once and dropped from the list when it fails), and a disconnect before the plugin is ready fails the
 * attempt and closes the client (see `status-watch.ts`), leaving retrying to core.
 * `waitOnFirstConnect` stays off: with it `connect()` never settles and cannot be aborted.
 */
export function connectionOptions(options: ResolvedNatsOptions): NodeConnectionOptions {
  const out: NodeConnectionOptions = {
    ...options.client,
    servers: options.servers.map((s) => s.hostPort),
    name: options.connectionName,
    timeout: options.connectTimeoutMs,
    pingInterval: options.pingIntervalMs,
    maxPingOut: options.maxPingOut,
    // nats.js gives up after `maxReconnectAttempts || 0` failures, so 0 would still try once.
    reconnect: options.maxReconnectAttempts !== 0,
    maxReconnectAttempts: options.maxReconnectAttempts,
    reconnectTimeWait: options.reconnectTimeWaitMs,
    waitOnFirstConnect: false,
    ignoreClusterUpdates: options.ignoreClusterUpdates,
  };
  if (options.user !== undefined) Object.assign(out, { user: options.user, pass: options.pass });
  if (options.token !== undefined) out.token = options.token;
  if (options.tls !== undefined) out.tls = options.tls;
  return out;
}
