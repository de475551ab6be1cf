import type { Socket } from 'node:net';
import { type CloseGrace, closeWithGrace } from '@startup/core/plugin-kit';
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
 * Ends `pool` gracefully: every connection, idle or checked out, sends `COM_QUIT` once its current command is done.
 * Whatever is still open after `grace.graceMs`, or when `grace.signal` aborts first, is destroyed: a query sent into
 * a network that stopped answering would otherwise hold the close for good (mysql2 has no query timeout by default).
 * Resolves once no connection socket remains.
 */
export async function closePool(pool: Pool, grace: CloseGrace): Promise<void> {
  const state = states.get(pool);
  if (!state) return pool.end();
  const connections = connectionsOf(pool);
  state.ending ??= pool.end().catch(() => {});
  await closeWithGrace(
    {
      closed: closed(connections),
      open: () => connections.filter((c) => !c.stream.closed).length,
      destroy: () => destroyAll(connections),
    },
    grace,
  );
}

/** Destroys every connection socket of `pool` now and ends it; resolves once no socket remains. */
export async function destroyPool(pool: Pool): Promise<void> {
  const state = states.get(pool);
  if (!state) return;
  const sockets = connectionsOf(pool);
  state.ending ??= pool.end().catch(() => {});
  destroyAll(sockets);
  await closed(sockets);
}

function destroyAll(connections: readonly CoreConnection[]): void {
  for (const connection of connections) connection.stream.destroy();
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
