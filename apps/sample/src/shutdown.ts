import { type Disposer, type Startup, type Stoppable, sleep } from '@startup/core';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Lifecycle } from './lifecycle.js';

/** What {@link gracefulShutdown} stops, in this order. */
export interface ShutdownParts {
  lifecycle: Lifecycle;
  server: FastifyInstance;
  startup: Startup<unknown>;
  /** Aborts the start when a signal arrives before it completed. */
  abortStart: AbortController;
  /** Settles once the start did (resolved or rejected). */
  startSettled: Promise<unknown>;
  /** Readiness fails this long before the server stops accepting requests, in milliseconds. */
  delayMs: number;
  /** The whole shutdown, in milliseconds; at 80 % of it every close still running is aborted. */
  timeoutMs: number;
}

/**
 * The shutdown sequence, for `handleSignals`: readiness fails first; a start still running is aborted;
 * after `delayMs` (for load balancers to notice) the HTTP server closes, letting in-flight requests
 * finish; then every plugin closes in reverse dependency order. A second signal or 80 % of `timeoutMs`
 * forces the remaining closes.
 */
export function gracefulShutdown(parts: ShutdownParts): Stoppable {
  return {
    async stop({ reason = 'stop', force } = {}) {
      const wasStarted = parts.lifecycle.phase === 'started';
      parts.lifecycle.stopping();
      parts.server.log.info({ reason }, 'shutting down: readiness now fails');
      const deadline = AbortSignal.timeout(Math.max(1, Math.floor(parts.timeoutMs * 0.8)));
      const forced = force ? AbortSignal.any([force, deadline]) : deadline;
      parts.abortStart.abort(new Error(`${reason} received during the start`));
      // A start in progress rolls back now: handing core the force lets a second signal cut its closes short.
      const rollback = wasStarted ? undefined : parts.startup.stop({ reason, force: forced });
      // Awaited below, after the server closed: a failure meanwhile must not count as unhandled.
      rollback?.catch(() => {});
      await parts.startSettled;
      if (wasStarted && parts.delayMs > 0) await sleep(parts.delayMs, forced).catch(() => {});
      await parts.server.close();
      await (rollback ?? parts.startup.stop({ reason, force: forced }));
      parts.server.log.info({ reason }, 'shutdown complete');
    },
  };
}

/**
 * One log line per plugin close, in the order core runs them (dependents first): visible proof of the
 * reverse order. A close that succeeded is logged here as `closed` (info, with its duration); one that
 * failed is logged by core itself, once, as `close failed` (warn, with the plugin and the error).
 */
export function logCloses(startup: Pick<Startup<unknown>, 'on'>, log: FastifyBaseLogger): Disposer {
  return startup.on('shutdown:plugin', ({ plugin, durationMs, error }) => {
    if (!error) log.info({ plugin, durationMs }, 'closed');
  });
}
