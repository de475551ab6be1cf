import {
  directInits,
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  postgresConnections,
  postgresConnectionsLeft,
  postgresUrl,
  resourceContext,
  uniqueName,
  urlWith,
  watchHandles,
} from '@startup/test-kit';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgres } from '../src/index.js';

let applicationName: string;
let handles: HandleWatch;
const inits = directInits();

beforeEach(() => {
  applicationName = uniqueName('postgres');
  handles = watchHandles();
});

afterEach(async () => {
  for (const pool of await inits.closeAll()) expect((pool as pg.Pool).ended).toBe(true);
  expect(await postgresConnectionsLeft(applicationName)).toBe(0);
  await expectNothingLeft(handles);
});

describe('postgres() against the local server', () => {
  it('connects, verifies and warms the pool, recording each step', async () => {
    const plugin = postgres({ url: postgresUrl, applicationName, warmConnections: 3 });
    const { resource: pool, record } = await inits.start(plugin);
    expect(record.steps.map((s) => s.name)).toEqual(['connect', 'verify', 'warm-up']);
    expect(pool.totalCount).toBe(3);
    expect(pool.idleCount).toBe(3);
    expect(await postgresConnections(applicationName)).toBe(3);
    expect(record.logs.some((line) => line.includes('serverVersion'))).toBe(true);
  });

  it('skips the warm-up step when warmConnections is 0', async () => {
    const { resource: pool, record } = await inits.start(
      postgres({ url: postgresUrl, applicationName, warmConnections: 0 }),
    );
    expect(record.steps.map((s) => s.name)).toEqual(['connect', 'verify']);
    expect(pool.totalCount).toBe(1);
  });

  it('sets the statement timeout on every connection', async () => {
    const { resource: pool } = await inits.start(
      postgres({ url: postgresUrl, applicationName, statementTimeoutMs: 1_234 }),
    );
    const { rows } = await pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(rows[0]?.statement_timeout).toBe('1234ms');
  });

  it('answers a health check with the pool figures', async () => {
    const plugin = postgres({ url: postgresUrl, applicationName, warmConnections: 2 });
    const { resource: pool } = await inits.start(plugin);
    const details = await plugin.healthCheck?.(pool, resourceContext());
    expect(details).toMatchObject({ totalCount: 2, idleCount: 2, waitingCount: 0, max: 20 });
    expect(details?.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('closes the pool leaving nothing on the server', async () => {
    const plugin = postgres({ url: postgresUrl, applicationName, warmConnections: 4 });
    const { ctx } = pluginContext();
    const pool = await plugin.init(ctx);
    expect(await postgresConnections(applicationName)).toBe(4);
    await plugin.close?.(pool, resourceContext());
    expect(pool.ended).toBe(true);
    expect(pool.totalCount).toBe(0);
    expect(await postgresConnectionsLeft(applicationName)).toBe(0);
  });

  it('forces the close when its signal aborts while a client is still checked out', async () => {
    const plugin = postgres({ url: postgresUrl, applicationName });
    const { ctx } = pluginContext();
    const pool = await plugin.init(ctx);
    const held = await pool.connect();
    held.on('error', () => {});
    const controller = new AbortController();
    const closing = plugin.close?.(pool, { ...resourceContext(), signal: controller.signal });
    controller.abort(new Error('close timed out'));
    await closing;
    expect(await postgresConnectionsLeft(applicationName)).toBe(0);
    held.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.ended).toBe(true);
  });

  it('fails at once on a database that does not exist (3D000)', async () => {
    const plugin = postgres({
      url: urlWith(postgresUrl, { database: 'startup_no_such_db' }),
      applicationName,
    });
    const { error } = await inits.startupFailure(plugin);
    expect(error.code).toBe('STARTUP_ERR_POSTGRES_DATABASE');
    expect(error.retryable).toBe(false);
    expect((error.cause as { code?: string }).code).toBe('3D000');
    expect(error.message).toContain('startup_no_such_db');
  });

  it('fails at once on a role that does not exist (28000)', async () => {
    const plugin = postgres({ url: urlWith(postgresUrl, { user: 'startup_no_such_role' }), applicationName });
    const { error } = await inits.startupFailure(plugin);
    expect(error.code).toBe('STARTUP_ERR_POSTGRES_AUTH');
    expect(error.retryable).toBe(false);
    expect((error.cause as { code?: string }).code).toBe('28000');
  });

  it('retries a host that does not resolve by default, and fails at once when told to', async () => {
    const retried = await inits.startupFailure(postgres({ host: 'nonexistent.invalid', applicationName }));
    expect(retried.error.code).toBe('STARTUP_ERR_POSTGRES_HOST_NOT_FOUND');
    expect(retried.error.retryable).toBe(true);
    expect((retried.error.cause as { code?: string }).code).toBe('ENOTFOUND');
    const failed = await inits.startupFailure(
      postgres({ host: 'nonexistent.invalid', applicationName, retryUnresolvedHost: false }),
    );
    expect(failed.error.retryable).toBe(false);
  });

  it('never shows the password of the URL, in errors or logs', async () => {
    // Trust authentication ignores the password, so a start with one succeeds.
    const secret = 'S3cr3t-hunter2';
    const { record } = await inits.start(
      postgres({ url: urlWith(postgresUrl, { password: secret }), applicationName }),
    );
    expect(record.logs.join('\n')).not.toContain(secret);
    const bad = postgres({
      url: urlWith(postgresUrl, { password: secret, database: 'startup_no_such_db' }),
      applicationName,
    });
    const { error, record: failedRecord } = await inits.startupFailure(bad);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
    expect(failedRecord.logs.join('\n')).not.toContain(secret);
    expect(error.message).toContain('postgres://postgres@');
  });
});
