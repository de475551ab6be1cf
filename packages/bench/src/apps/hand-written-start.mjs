// The start a careful developer writes by hand with the same clients and the same work as our connectors:
// PostgreSQL (connect, verify, warm the pool), Redis (connect, PING), NATS (connect, PING, JetStream account
// info). No retry: one attempt each, and on failure what was opened is closed before rejecting.
// Plain JavaScript, so the spawned hand-written app runs without a TypeScript loader.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';

export async function startPostgres(url, warmConnections) {
  const pool = new pg.Pool({ connectionString: url, max: 20, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  try {
    const first = await pool.connect();
    try {
      await first.query(
        "SELECT current_setting('server_version') AS version, current_database() AS database",
      );
    } finally {
      first.release();
    }
    const clients = await Promise.all(Array.from({ length: warmConnections }, () => pool.connect()));
    try {
      await Promise.all(clients.map((client) => client.query('SELECT 1')));
    } finally {
      for (const client of clients) client.release();
    }
    return { resource: pool, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

export async function startRedis(url) {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return { resource: client, close: () => client.quit().then(() => {}) };
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

export async function startNats(servers) {
  const nc = await connect({ servers, reconnect: false });
  try {
    await nc.rtt();
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    await jsm.getAccountInfo();
    return { resource: { nc, jsm }, close: () => nc.close() };
  } catch (error) {
    await nc.close().catch(() => {});
    throw error;
  }
}

/** All three at once; if one fails, the others are closed before rejecting. */
export async function startAll(targets) {
  const started = await Promise.allSettled([
    startPostgres(targets.postgres, targets.warmConnections),
    startRedis(targets.redis),
    startNats(targets.nats),
  ]);
  const failed = started.find((s) => s.status === 'rejected');
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(ok.map((s) => s.close()));
    throw failed.reason;
  }
  return { close: () => Promise.all(ok.map((s) => s.close())).then(() => {}) };
}

/** One after the other. */
export async function startInSequence(targets) {
  const started = [];
  try {
    started.push(await startPostgres(targets.postgres, targets.warmConnections));
    started.push(await startRedis(targets.redis));
    started.push(await startNats(targets.nats));
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
  return { close: () => Promise.all(started.map((s) => s.close())).then(() => {}) };
}
