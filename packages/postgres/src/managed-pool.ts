import { type CloseGrace, closeWithGrace } from '@startup/core/plugin-kit';
import pg from 'pg';

/** What the plugin keeps beside each pool it opened. Internal. */
interface PoolState {
  /** Every client the pool created and that has not ended: connecting, idle or checked out. */
  readonly clients: Set<pg.Client>;
  /** Set once `end()` was called, so it is never called twice (pg throws). */
  ending?: Promise<void>;
}

const states = new WeakMap<pg.Pool, PoolState>();

/** What a pool's clients report to: carried in the pool's options, which pg-pool hands to each client it creates. */
interface Tracking {
  readonly clients: Set<pg.Client>;
  readonly onError: (error: Error) => void;
}

const tracking = Symbol('startup.postgres.tracking');

// One class for every pool: a class made per pool would give each pool's clients their own hidden class, and
// pg's code, seeing a new shape at every start, would run slower (megamorphic property access).
class TrackedClient extends pg.Client {
  constructor(config: pg.ClientConfig & { [tracking]?: Tracking }) {
    super(config);
    const track = config[tracking];
    if (track === undefined) return;
    track.clients.add(this);
    this.once('end', () => track.clients.delete(this));
    this.on('error', track.onError);
  }
}

/**
 * A `pg.Pool` whose clients are all known, so they can be destroyed when pg offers no way to abort
 * (a connect to a silent server, a checked-out client never released). `onError` receives every
 * error of a client outside a query, idle or checked out: pg would otherwise crash the process on an
 * idle client's error when the pool has no `error` listener.
 */
export function openPool(config: pg.PoolConfig, onError: (error: Error) => void): pg.Pool {
  const clients = new Set<pg.Client>();
  const pool = new pg.Pool({
    ...config,
    [tracking]: { clients, onError },
    Client: TrackedClient as unknown as pg.PoolConfig['Client'],
  } as pg.PoolConfig);
  // The same error also reaches the client listener above; this one only keeps pg from throwing.
  pool.on('error', () => {});
  states.set(pool, { clients });
  return pool;
}

/**
 * A client beside `pool`, with the pool's own settings but not counted in its `max` (the health check's
 * when the application holds every pooled client). Closing or destroying the pool waits for it or destroys
 * it like the others. Its errors reject its own calls; they are not reported as a loss of the pool.
 */
export function openSideClient(pool: pg.Pool): pg.Client {
  const client = new pg.Client(pool.options);
  client.on('error', () => {});
  const state = states.get(pool);
  if (state) {
    state.clients.add(client);
    client.once('end', () => state.clients.delete(client));
  }
  return client;
}

/** Number of clients of `pool` that still hold (or are opening) a socket. */
export function openClients(pool: pg.Pool): number {
  return states.get(pool)?.clients.size ?? 0;
}

/**
 * Ends `pool` gracefully: idle clients say goodbye, a checked-out client is closed once released. Whatever is
 * still open after `grace.graceMs`, or when `grace.signal` aborts first, is destroyed: a query sent into a network
 * that stopped answering would otherwise hold the close until its query timeout. Resolves once no client socket
 * remains.
 */
export async function closePool(pool: pg.Pool, grace: CloseGrace): Promise<void> {
  const state = states.get(pool);
  if (!state) {
    if (!pool.ending) await pool.end();
    return;
  }
  state.ending ??= pool.end().catch(() => {});
  await closeWithGrace(
    {
      // Not `state.ending`: it never settles while a checked-out client is not released.
      closed: ended(state.clients),
      open: () => state.clients.size,
      destroy: () => destroyClients(state.clients),
    },
    grace,
  );
}

/** Destroys every client socket of `pool` now and ends it; resolves once no client socket remains. */
export async function destroyPool(pool: pg.Pool): Promise<void> {
  const state = states.get(pool);
  if (!state) return;
  state.ending ??= pool.end().catch(() => {});
  destroyClients(state.clients);
  await ended(state.clients);
}

function destroyClients(clients: ReadonlySet<pg.Client>): void {
  for (const client of clients) client.connection.stream.destroy();
}

/** Resolves once every client in `clients` has emitted `end` (its socket closed). */
function ended(clients: ReadonlySet<pg.Client>): Promise<void> {
  return Promise.all(
    [...clients].map((c) => new Promise<void>((resolve) => c.once('end', () => resolve()))),
  ).then(() => (clients.size === 0 ? undefined : ended(clients)));
}
