import type { NodeConnectionOptions } from '@nats-io/transport-node';
import type { ResolvedNatsOptions } from './resolve-options.js';

/**
 * nats.js options for `connect()`. Reconnection is off while connecting and turned on once connected
 * (`enableReconnect`): nats.js reads `reconnect` at each disconnect, and with it on, a socket that closes
 * mid-handshake (the socket tracker destroying it on abort, or the server) makes nats.js join the dial
 * loop it is already in, so only its dial timer ends the handshake, `connectTimeoutMs` later, keeping
 * the process alive meanwhile. With it off, nats.js closes the connection at once, which clears that
 * timer. The first connect leaves retrying to core anyway: each server is dialled once (a server that
 * fails after its INFO ends the attempt), and a disconnect before the plugin is ready fails the attempt
 * too (see `runtime-status.ts`).
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
    reconnect: false,
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
