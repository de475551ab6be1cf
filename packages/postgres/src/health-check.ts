import type { HealthDetails, ResourceContext } from '@startup/core';
import { abortable } from '@startup/core';
import type pg from 'pg';

/**
 * A real round trip (`SELECT 1` on a pooled connection) bounded by `ctx.signal`, with the pool's
 * figures. A connection whose answer did not come in time is destroyed, not returned to the pool.
 * Rejects with the pg or network error, or the signal's reason.
 */
export async function checkPool(pool: pg.Pool, ctx: ResourceContext): Promise<HealthDetails> {
  const client = await abortable(pool.connect(), ctx.signal, (late) => late.release());
  const startedAt = performance.now();
  let failure: Error | undefined;
  try {
    await abortable(client.query('SELECT 1'), ctx.signal);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    client.connection.stream.destroy();
    throw error;
  } finally {
    client.release(failure);
  }
  const rttMs = Math.round((performance.now() - startedAt) * 100) / 100;
  return { totalCount: pool.totalCount, idleCount: pool.idleCount, waitingCount: pool.waitingCount, rttMs };
}
