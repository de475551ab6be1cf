import type { Socket } from 'node:net';
import mysql, { type Pool, type PoolOptions } from 'mysql2/promise';

/** What the plugin reads of a mysql2 core connection (mysql2 3.x internals). Internal. */
interface CoreConnection {
  readonly stream: Socket;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the plugin reads of a mysql2 core pool (mysql2 3.x internals). Internal. */
interface CorePool {
  readonly _allConnections: { readonly length: number; get(index: number): CoreConnection };
  readonly _closed: boolean;
  end(callback: (error?: Error | null) => void): void;
  on(event: 'connection' | 'release', listener: (connection: CoreConnection) => void): unknown;
}

/** What the plugin keeps beside each pool it opened. Internal. */
interface PoolState {
  readonly core: CorePool;
  /** Set once `end()` was called, so it is never called twice. */
  ending?: Promise<void>;
}

const states = new WeakMap<Pool, PoolState>();

/** What {@link openPool} reports, and how long a connection may live. */
export interface PoolEvents {
  /** An established connection failed outside a query (idle or checked out). */
  onError(error: Error): void;
  /** A new connection was established. */
  onConnect(): void;
  /** A connection older than this (milliseconds) is closed on release instead of returned; 0 never. */
  maxLifetimeMs: number;
}

/**
 * A mysql2 promise pool whose connections are all known, so they can be destroyed when mysql2 offers no way to abort
 * (a handshake with a silent server, a connection never released), and which closes connections past their lifetime
 * on release (mysql2 has no lifetime of its own).
 */
export function openPool(config: PoolOptions, events: PoolEvents): Pool {
  const pool = mysql.createPool(config);
  const core = pool.pool as unknown as CorePool;
  const born = new WeakMap<CoreConnection, number>();
  core.on('connection', (connection) => {
    born.set(connection, Date.now());
    connection.on('error', events.onError);
    events.onConnect();
  });
  if (events.maxLifetimeMs > 0) {
    core.on('release', (connection) => {
      const at = born.get(connection);
      if (at !== undefined && Date.now() - at >= events.maxLifetimeMs) connection.destroy();
    });
  }
  states.set(pool, { core });
  return pool;
}

/**
 * Ends `pool` gracefully (every connection, idle or checked out, sends `COM_QUIT` once its current command is done).
 * When `signal` aborts first, destroys every socket at once. Resolves once no connection socket remains.
 */
export async function closePool(pool: Pool, signal?: AbortSignal): Promise<void> {
  const state = states.get(pool);
  if (!state) return pool.end();
  const sockets = connectionsOf(pool);
  state.ending ??= pool.end().catch(() => {});
  if (signal?.aborted) return destroyPool(pool);
  const onAbort = () => void destroyPool(pool);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await closed(sockets);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Destroys every connection socket of `pool` now and ends it; resolves once no socket remains. */
export async function destroyPool(pool: Pool): Promise<void> {
  const state = states.get(pool);
  if (!state) return;
  const sockets = connectionsOf(pool);
  state.ending ??= pool.end().catch(() => {});
  for (const connection of sockets) connection.stream.destroy();
  await closed(sockets);
}

function connectionsOf(pool: Pool): CoreConnection[] {
  const all = states.get(pool)?.core._allConnections;
  if (!all) return [];
  return Array.from({ length: all.length }, (_, i) => all.get(i));
}

/** Resolves once the socket of every connection in `connections` has closed. */
function closed(connections: readonly CoreConnection[]): Promise<void> {
  return Promise.all(
    connections
      .filter((c) => !c.stream.closed)
      .map((c) => new Promise<void>((resolve) => c.stream.once('close', () => resolve()))),
  ).then(() => undefined);
}
