import type { PluginContext } from '@startup/core';
import type pg from 'pg';
import { postgresStartupError } from './classify-error.js';
import { destroyPool, openPool } from './managed-pool.js';
import { errorContext, type ResolvedPostgresOptions } from './resolve-options.js';
import { RuntimeLink } from './runtime-status.js';

/** A started pool and the link that reports its runtime loss and recovery. */
export interface StartedPool {
  pool: pg.Pool;
  link: RuntimeLink;
}

/**
 * One start attempt: opens a pool, connects, verifies with a real query and warms the pool, each a
 * step of the report. On failure or abort, destroys every socket of the attempt before rejecting,
 * with a classified {@link StartupError} (or the signal's reason).
 */
export async function startPool(ctx: PluginContext, options: ResolvedPostgresOptions): Promise<StartedPool> {
  const context = errorContext(options);
  const link = new RuntimeLink(ctx.runtime, ctx.logger);
  const pool = openPool(options.poolConfig, (error) => link.lost(postgresStartupError(error, context)));
  pool.on('connect', () => link.restored());
  const onAbort = () => void destroyPool(pool);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    ctx.signal.throwIfAborted();
    const first = await ctx.step('connect', () => pool.connect());
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
    throw ctx.signal.aborted ? ctx.signal.reason : postgresStartupError(error, context);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** A real round trip that also says which server answered. */
async function verify(client: pg.PoolClient): Promise<{ serverVersion: string; database: string }> {
  const { rows } = await client.query<{ version: string; database: string }>(
    "SELECT current_setting('server_version') AS version, current_database() AS database",
  );
  const row = rows[0];
  if (!row) throw new Error('the verification query returned no row');
  return { serverVersion: row.version, database: row.database };
}

/** Checks out `count` clients at once (opening what is missing in parallel), runs a query on each, releases. */
async function warmUp(pool: pg.Pool, count: number): Promise<void> {
  const checkouts = await Promise.allSettled(Array.from({ length: count }, () => pool.connect()));
  const clients = checkouts.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
  let failure: unknown = checkouts.find((c) => c.status === 'rejected')?.reason;
  try {
    if (failure === undefined) await Promise.all(clients.map((client) => client.query('SELECT 1')));
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    for (const client of clients) client.release(failure === undefined ? undefined : true);
  }
  if (failure !== undefined) throw failure;
}
