import type { Disposer, Startup } from '@startup/core';
import type { FastifyBaseLogger } from 'fastify';

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
