import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  createMysqlDatabase,
  dropMysqlDatabase,
  expectNothingLeft,
  type HandleWatch,
  mysqlConnections,
  mysqlConnectionsLeft,
  mysqlUrl,
  pluginContext,
  recordingLogger,
  settlesWithin,
  uniqueName,
  urlWith,
  watchHandles,
} from '@startup/test-kit';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MysqlPluginOptions, mysql } from '../src/index.js';

// The close of a pool with a query in flight: a healthy server answers it within the grace and the close waits
// for it; a server behind a silent network never does, and the close destroys its connection once the grace is
// over instead of waiting for good (mysql2 sets no query timeout).

let database: string;
let proxy: FaultProxy;
let handles: HandleWatch;

beforeEach(async () => {
  // The server shows no connection attributes without performance_schema: a database of its own tells this
  // test's connections apart in information_schema.PROCESSLIST.
  database = uniqueName('mysql-close').replaceAll('-', '_');
  await createMysqlDatabase(database);
  handles = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(mysqlUrl) });
});

afterEach(async () => {
  await proxy.close();
  expect(await mysqlConnectionsLeft(database)).toBe(0);
  await dropMysqlDatabase(database);
  await expectNothingLeft(handles);
});

async function started(options: MysqlPluginOptions) {
  const plugin = mysql({
    url: urlWith(mysqlUrl, { host: proxy.host, port: proxy.port, database }),
    connectTimeoutMs: 300,
    ...options,
  });
  const pool = await plugin.init(pluginContext().ctx);
  return { plugin, pool };
}

/** Idle connections of `pool` (mysql2 keeps no public count). */
const idle = (pool: Pool) =>
  (pool.pool as unknown as { _freeConnections: { length: number } })._freeConnections.length;

/** A close whose signal never aborts: only the plugin's own grace can cut it short. */
function closeContext(logs: string[]) {
  return { signal: new AbortController().signal, logger: recordingLogger(logs) };
}

describe('closing a pool with a query in flight', () => {
  it('waits for a query the server answers within the grace, then leaves nothing on the server', async () => {
    const { plugin, pool } = await started({ closeGraceMs: 60_000 });
    const order: string[] = [];
    const connection = await pool.getConnection();
    const query = connection
      .query<RowDataPacket[]>('SELECT 42 AS answer, SLEEP(0.2) AS slept')
      .finally(() => {
        order.push('query answered');
        connection.release();
      });
    const logs: string[] = [];
    const closing = Promise.resolve(plugin.close?.(pool, closeContext(logs))).then(() =>
      order.push('closed'),
    );
    const [rows] = await query;
    expect(rows).toEqual([{ answer: 42, slept: 0 }]);
    await closing;
    expect(order).toEqual(['query answered', 'closed']);
    expect(logs.filter((line) => line.startsWith('warn'))).toEqual([]);
    expect(await mysqlConnections(database)).toBe(0);
  });

  it('destroys the connection of a query sent into a blackhole once the grace is over, not never', async () => {
    const closeGraceMs = 200;
    // Generous: the grace plus ten seconds for the sockets to close on a loaded machine; without the grace
    // nothing but the close signal (which never aborts here) would end the query.
    const boundMs = closeGraceMs + 10_000;
    const { plugin, pool } = await started({ closeGraceMs, warmConnections: 1 });
    expect(await mysqlConnections(database)).toBe(1);
    proxy.blackhole();
    // As a custom plugin's health check does: a pool query with no timeout of its own.
    const query = pool.query('SELECT 1').then(
      () => 'answered',
      (error: Error) => `failed: ${error.message}`,
    );
    await expect.poll(() => idle(pool)).toBe(0);
    const logs: string[] = [];
    expect(await settlesWithin(plugin.close?.(pool, closeContext(logs)), boundMs)).toBe('closed');
    expect(await query).toMatch(/^failed: /);
    expect(logs.filter((line) => line.startsWith('warn'))).toEqual([
      `warn connections still busy after the close grace: destroyed ${JSON.stringify({ open: 1, graceMs: closeGraceMs })}`,
    ]);
    await expect.poll(() => proxy.connections).toBe(0);
    // Nothing on the server: its side of the connection went with the proxy's.
    expect(await mysqlConnectionsLeft(database)).toBe(0);
  });

  it('destroys every connection at once with a grace of 0', async () => {
    const { plugin, pool } = await started({ closeGraceMs: 0 });
    proxy.blackhole();
    const connection = await pool.getConnection();
    const query = connection.query('SELECT 1').then(
      () => 'answered',
      () => 'failed',
    );
    const logs: string[] = [];
    await plugin.close?.(pool, closeContext(logs));
    expect(await query).toBe('failed');
    connection.release();
    expect(logs).toEqual([]);
    await expect.poll(() => proxy.connections).toBe(0);
  });
});
