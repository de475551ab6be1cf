import {
  createMysqlDatabase,
  directInits,
  dropMysqlDatabase,
  expectNothingLeft,
  type HandleWatch,
  mysqlConnections,
  mysqlConnectionsLeft,
  mysqlUrl,
  pluginContext,
  resourceContext,
  uniqueName,
  urlWith,
  watchHandles,
} from '@startup/test-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mysql } from '../src/index.js';

let database: string;
let url: string;
let handles: HandleWatch;
const inits = directInits();

beforeEach(async () => {
  database = uniqueName('mysql').replaceAll('-', '_');
  url = urlWith(mysqlUrl, { database });
  await createMysqlDatabase(database);
  handles = watchHandles();
});

afterEach(async () => {
  await inits.closeAll();
  expect(await mysqlConnectionsLeft(database)).toBe(0);
  await dropMysqlDatabase(database);
  await expectNothingLeft(handles);
});

describe('mysql() against the local server', () => {
  it('connects, verifies with SELECT 1 and warms the pool, recording each step', async () => {
    const { resource: pool, record } = await inits.start(mysql({ url, warmConnections: 3 }));
    expect(record.steps.map((s) => s.name)).toEqual(['connect', 'verify', 'warm-up']);
    expect(await mysqlConnections(database)).toBe(3);
    expect(record.logs.some((line) => line.includes('serverVersion'))).toBe(true);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT DATABASE() AS db');
    expect(rows[0]?.db).toBe(database);
  });

  it('skips the warm-up step when warmConnections is 0', async () => {
    const { record } = await inits.start(mysql({ url, warmConnections: 0 }));
    expect(record.steps.map((s) => s.name)).toEqual(['connect', 'verify']);
    expect(await mysqlConnections(database)).toBe(1);
  });

  it('answers a health check with the pool figures', async () => {
    const plugin = mysql({ url, warmConnections: 2 });
    const { resource: pool } = await inits.start(plugin);
    const details = await plugin.healthCheck?.(pool, resourceContext());
    expect(details).toMatchObject({ totalCount: 2, idleCount: 2, waitingCount: 0, max: 20 });
    expect(details?.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('closes the pool leaving nothing on the server', async () => {
    const plugin = mysql({ url, warmConnections: 4 });
    const { ctx } = pluginContext();
    const pool = await plugin.init(ctx);
    expect(await mysqlConnections(database)).toBe(4);
    await plugin.close?.(pool, resourceContext());
    expect(await mysqlConnectionsLeft(database)).toBe(0);
  });

  it('closes a connection still checked out, and forces the close when its signal aborts', async () => {
    const plugin = mysql({ url });
    const { ctx } = pluginContext();
    const pool = await plugin.init(ctx);
    const held = await pool.getConnection();
    // A query that holds the connection past the close's patience.
    const busy = held.query('SELECT SLEEP(2)').catch((e: unknown) => e);
    const controller = new AbortController();
    const closing = plugin.close?.(pool, { ...resourceContext(), signal: controller.signal });
    controller.abort(new Error('close timed out'));
    await closing;
    expect(await busy).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' });
    // The server ends the thread once its statement is done and it finds the socket gone.
    expect(await mysqlConnectionsLeft(database, 5_000)).toBe(0);
  });

  it('closes connections past maxLifetimeSeconds when they are released', async () => {
    const { resource: pool } = await inits.start(mysql({ url, warmConnections: 1, maxLifetimeSeconds: 1 }));
    const first = await pool.getConnection();
    const firstId = first.threadId;
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const aged = await pool.getConnection();
    expect(aged.threadId).toBe(firstId);
    aged.release();
    const next = await pool.getConnection();
    expect(next.threadId).not.toBe(firstId);
    next.release();
  });

  it('fails at once on a database that does not exist (ER_BAD_DB_ERROR)', async () => {
    const { error } = await inits.startupFailure(
      mysql({ url: urlWith(mysqlUrl, { database: `${database}_missing` }) }),
    );
    expect(error.code).toBe('STARTUP_ERR_MYSQL_DATABASE');
    expect(error.retryable).toBe(false);
    expect((error.cause as { code?: string }).code).toBe('ER_BAD_DB_ERROR');
    expect(error.message).toContain(`${database}_missing`);
  });

  it('fails at once on a wrong password (ER_ACCESS_DENIED_ERROR), never showing it', async () => {
    const secret = 'S3cr3t-hunter2';
    const { error, record } = await inits.startupFailure(mysql({ url, password: secret }));
    expect(error.code).toBe('STARTUP_ERR_MYSQL_AUTH');
    expect(error.retryable).toBe(false);
    expect((error.cause as { code?: string }).code).toBe('ER_ACCESS_DENIED_ERROR');
    expect(error.message).toContain('mysql://root@127.0.0.1:3306/');
    for (const text of [error.message, JSON.stringify(error), String(error.stack), record.logs.join('\n')]) {
      expect(text).not.toContain(secret);
    }
  });

  it('fails at once on a user that does not exist (ER_ACCESS_DENIED_ERROR)', async () => {
    const { error } = await inits.startupFailure(
      mysql({ url: urlWith(url, { user: 'startup_no_such_user' }) }),
    );
    expect(error.code).toBe('STARTUP_ERR_MYSQL_AUTH');
    expect(error.retryable).toBe(false);
    expect((error.cause as { code?: string }).code).toBe('ER_ACCESS_DENIED_ERROR');
  });

  it('retries a host that does not resolve by default, and fails at once when told to', async () => {
    const retried = await inits.startupFailure(mysql({ host: 'nonexistent.invalid', database }));
    expect(retried.error.code).toBe('STARTUP_ERR_MYSQL_HOST_NOT_FOUND');
    expect(retried.error.retryable).toBe(true);
    const failed = await inits.startupFailure(
      mysql({ host: 'nonexistent.invalid', database, retryUnresolvedHost: false }),
    );
    expect(failed.error.retryable).toBe(false);
  });
});
