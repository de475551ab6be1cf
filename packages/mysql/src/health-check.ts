import type { HealthDetails, ResourceContext } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import type { Pool } from 'mysql2/promise';

/** The pool's figures (mysql2 3.x internals). Internal. */
interface PoolFigures {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
  config: { connectionLimit: number };
}

/**
 * A real round trip (`SELECT 1`) on a pooled connection, bounded by `ctx.signal`, with the pool's figures. A
 * connection whose answer did not come in time is destroyed, not returned to the pool. Rejects with the mysql2
 * or network error, or the signal's reason.
 */
export async function checkPool(pool: Pool, ctx: ResourceContext): Promise<HealthDetails> {
  const figures = pool.pool as unknown as PoolFigures;
  // Read before the check takes a connection of its own.
  const counts = {
    totalCount: figures._allConnections.length,
    idleCount: figures._freeConnections.length,
    waitingCount: figures._connectionQueue.length,
    max: figures.config.connectionLimit,
  };
  const connection = await abortable(pool.getConnection(), ctx.signal, (late) => late.release());
  let ok = false;
  try {
    const startedAt = performance.now();
    await abortable(connection.query('SELECT 1'), ctx.signal);
    const rttMs = Math.round((performance.now() - startedAt) * 100) / 100;
    ok = true;
    return { ...counts, rttMs };
  } finally {
    if (ok) connection.release();
    else connection.destroy();
  }
}
