import type { NatsConnection } from '@nats-io/transport-node';
import { StartupError } from '@startup/core';
import type { ResolvedNatsOptions } from './resolve-options.js';

/**
 * Turns nats.js' reconnection on for a connection opened with it off (see `connectionOptions`), unless
 * `maxReconnectAttempts` is 0 (nats.js gives up after `maxReconnectAttempts || 0` failures, so 0 would
 * still try once). nats.js 3 reads `reconnect` at each disconnect from the options object the connection
 * keeps (`NatsConnectionImpl.options`, shared with its protocol handler); nats.js has no public setter.
 * Throws a non-retryable `STARTUP_ERR_NATS_CLIENT_OPTION` when that object is missing (a nats.js whose
 * internals changed) rather than return a connection that would never reconnect.
 */
export function enableReconnect(nc: NatsConnection, options: ResolvedNatsOptions): void {
  const live = (nc as { options?: { reconnect?: unknown } }).options;
  if (typeof live !== 'object' || live === null || typeof live.reconnect !== 'boolean') {
    throw new StartupError(
      'STARTUP_ERR_NATS_CLIENT_OPTION',
      `NATS ${options.target} (plugin "${options.name}"): this nats.js keeps no connection options where @nats-io/nats-core 3 does, so reconnection cannot be turned on after connecting: use @nats-io/transport-node 3.x`,
      { plugin: options.name, retryable: false },
    );
  }
  live.reconnect = options.maxReconnectAttempts !== 0;
}
