import type { HealthDetails, ResourceContext } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import type pg from 'pg';
import { openSideClient } from './managed-pool.js';

/**
 * A real round trip (`SELECT 1`) bounded by `ctx.signal`, with the pool's figures. A connection whose
 * answer did not come in time is destroyed, not returned to the pool. When the application holds every
 * client the pool may open (`saturated: true`), the round trip runs on a short-lived connection of its own
 * instead of queueing behind the application: a busy pool is not a dead server.
 * Rejects with the pg or network error, or the signal's reason.
 */
export async function checkPool(pool: pg.Pool, ctx: ResourceContext): Promise<HealthDetails> {
  const saturated = pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? Number.POSITIVE_INFINITY);
  const rttMs = saturated ? await roundTripAside(pool, ctx.signal) : await roundTripPooled(pool, ctx.signal);
  return {
    totalCount: pool.totalCount,
    idleCount: pool.idleCount,
    waitingCount: pool.waitingCount,
    max: pool.options.max ?? null,
    saturated,
    rttMs,
  };
}

async function roundTripPooled(pool: pg.Pool, signal: AbortSignal): Promise<number> {
  const client = await abortable(pool.connect(), signal, (late) => late.release());
  let failure: Error | undefined;
  try {
    return await timed(client, signal);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    client.connection.stream.destroy();
    throw error;
  } finally {
    client.release(failure);
  }
}

async function roundTripAside(pool: pg.Pool, signal: AbortSignal): Promise<number> {
  const client = openSideClient(pool);
  const destroy = () => client.connection.stream.destroy();
  signal.addEventListener('abort', destroy, { once: true });
  try {
    await abortable(client.connect(), signal);
    return await timed(client, signal);
  } finally {
    signal.removeEventListener('abort', destroy);
    await client.end().catch(() => {});
  }
}

/** The time of a `SELECT 1` round trip, in milliseconds (two decimals). */
async function timed(client: pg.ClientBase, signal: AbortSignal): Promise<number> {
  const startedAt = performance.now();
  await abortable(client.query('SELECT 1'), signal);
  return Math.round((performance.now() - startedAt) * 100) / 100;
}
