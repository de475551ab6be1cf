import type { PluginContext } from '@startup/core';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { mysqlStartupError } from './classify-error.js';
import { destroyPool, openPool } from './managed-pool.js';
import { errorContext, type ResolvedMysqlOptions } from './resolve-options.js';
import { RuntimeLink } from './runtime-status.js';

/** A started pool and the link that reports its runtime loss and recovery. */
export interface StartedPool {
  pool: Pool;
  link: RuntimeLink;
}

/**
 * One start attempt: opens a pool, connects, verifies with `SELECT 1` and warms the pool, each a step of the
 * report. On failure or abort, destroys every socket of the attempt before rejecting, with a classified
 * {@link StartupError} (or the signal's reason).
 */
export async function startPool(ctx: PluginContext, options: ResolvedMysqlOptions): Promise<StartedPool> {
  const context = errorContext(options);
  const link = new RuntimeLink(ctx.runtime, ctx.logger);
  const pool = openPool(options.poolConfig, {
    onError: (error) => link.lost(mysqlStartupError(error, context)),
    onConnect: () => link.restored(),
    maxLifetimeMs: options.maxLifetimeMs,
  });
  const onAbort = () => void destroyPool(pool);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    ctx.signal.throwIfAborted();
    const first = await ctx.step('connect', () => pool.getConnection());
    const server = await ctx.step('verify', () => verify(first)).finally(() => first.release());
    ctx.logger.info('connected', { target: options.target, ...server });
    if (options.warmConnections > 0) {
      await ctx.step('warm-up', () => warmUp(pool, options.warmConnections));
    }
    ctx.signal.throwIfAborted();
    link.serve();
    return { pool, link };
  } catch (error) {
    await destroyPool(pool);
    throw ctx.signal.aborted ? ctx.signal.reason : mysqlStartupError(error, context);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** `SELECT 1`, a real round trip that also says which server answered. */
async function verify(
  connection: PoolConnection,
): Promise<{ serverVersion: string; database: string | null; threadId: number }> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT 1 AS ok, VERSION() AS version, DATABASE() AS db',
  );
  const row = rows[0];
  if (row?.ok !== 1) throw new Error('the verification query did not answer 1');
  return { serverVersion: String(row.version), database: row.db ?? null, threadId: connection.threadId };
}

/** Checks out `count` connections at once (opening what is missing in parallel), runs `SELECT 1` on each, releases. */
async function warmUp(pool: Pool, count: number): Promise<void> {
  const checkouts = await Promise.allSettled(Array.from({ length: count }, () => pool.getConnection()));
  const connections = checkouts.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
  let failure: unknown = checkouts.find((c) => c.status === 'rejected')?.reason;
  try {
    if (failure === undefined) await Promise.all(connections.map((c) => c.query('SELECT 1')));
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    for (const connection of connections) {
      if (failure === undefined) connection.release();
      else connection.destroy();
    }
  }
  if (failure !== undefined) throw failure;
}
