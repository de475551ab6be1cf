import type { NatsConnection } from '@nats-io/transport-node';
import { describeError, type ResourceContext } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import type { StatusWatch } from './runtime-status.js';
import type { SocketTracker } from './socket-tracker.js';

/**
 * Closes gracefully: `drain()` (subscriptions finish their messages, pending publishes are flushed),
 * bounded by `ctx.signal`; when it aborts or fails, `close()`. Then waits for `closed()` and the end of
 * the status loop, and destroys any socket nats.js left behind. Nothing stays open.
 */
export async function closeConnection(
  nc: NatsConnection,
  watch: StatusWatch,
  tracker: SocketTracker,
  ctx: ResourceContext,
): Promise<void> {
  watch.closing();
  try {
    if (!nc.isClosed()) {
      try {
        await abortable(nc.drain(), ctx.signal);
      } catch (error) {
        if (!ctx.signal.aborted) ctx.logger.warn('drain failed; closing', { error: describeError(error) });
        await nc.close().catch(() => {});
      }
    }
    // close() resolves `closed()` before it returns; drain() does too once it has closed.
    await nc.closed();
    await watch.done;
  } finally {
    await tracker.dispose();
  }
}
