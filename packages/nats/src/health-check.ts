import type { HealthDetails, ResourceContext } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import type { NatsResource } from './resource.js';
import type { StatusWatch } from './runtime-status.js';

/**
 * A real round trip: a PING/PONG (`flush`) and, with JetStream, the account info, each bounded by
 * `ctx.signal`. Fails at once, without waiting, while the connection is down.
 * Details: `rttMs` (sub-millisecond), `server` (`host:port` in use) and `jetstream: true` when checked.
 */
export async function checkHealth(
  resource: NatsResource,
  watch: StatusWatch,
  ctx: ResourceContext,
): Promise<HealthDetails> {
  const { nc } = resource;
  if (!watch.connected) {
    throw (
      watch.error ??
      new Error(nc.isClosed() ? 'NATS connection closed' : 'NATS connection down; reconnecting')
    );
  }
  const started = performance.now();
  await abortable(nc.flush(), ctx.signal);
  const details: HealthDetails = {
    rttMs: Math.round((performance.now() - started) * 1000) / 1000,
    server: nc.getServer(),
  };
  if (resource.jsm !== undefined) {
    await abortable(resource.jsm.getAccountInfo(), ctx.signal);
    details.jetstream = true;
  }
  return details;
}
