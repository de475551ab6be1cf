import { isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
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
import type { Pool } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MysqlPluginOptions, mysql } from '../src/index.js';

let database: string;
let proxy: FaultProxy;
let handles: HandleWatch;
const inits = directInits();

beforeEach(async () => {
  database = uniqueName('mysql').replaceAll('-', '_');
  await createMysqlDatabase(database);
  handles = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(mysqlUrl) });
});

afterEach(async () => {
  await inits.closeAll();
  await proxy.close();
  expect(await mysqlConnectionsLeft(database)).toBe(0);
  await dropMysqlDatabase(database);
  // Every socket of the plugin, the proxy and the observer is closed: nothing keeps the process alive.
  await expectNothingLeft(handles);
});

/** A plugin reaching the server through the proxy, with test-sized timeouts. */
const viaProxy = (options: MysqlPluginOptions = {}) =>
  mysql({
    url: urlWith(mysqlUrl, { host: proxy.host, port: proxy.port, database }),
    connectTimeoutMs: 300,
    ...options,
  });

/** Connections the pool holds (mysql2 keeps no public count). */
const pooled = (pool: Pool) =>
  (pool.pool as unknown as { _allConnections: { length: number } })._allConnections.length;

describe('mysql() through a fault proxy', () => {
  it('classifies a server that is down as transient (ECONNREFUSED)', async () => {
    await proxy.refuse();
    const { error } = await inits.failure(viaProxy());
    expect(isStartupError(error) && error.code).toBe('STARTUP_ERR_MYSQL_UNAVAILABLE');
    expect(isStartupError(error) && error.retryable).toBe(true);
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('starts on the first attempt after a server that came up late starts accepting', async () => {
    proxy.acceptAt(200);
    const plugin = viaProxy();
    const { error: first } = await inits.failure(plugin);
    expect(isStartupError(first) && first.retryable).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { record } = await inits.start(plugin);
    expect(record.steps.map((s) => s.name)).toEqual(['connect', 'verify', 'warm-up']);
  });

  it('fails a blackholed attempt with a transient timeout and leaves no socket open', async () => {
    proxy.blackhole();
    const { error } = await inits.failure(viaProxy());
    expect(isStartupError(error) && error.code).toBe('STARTUP_ERR_MYSQL_TIMEOUT');
    expect(isStartupError(error) && error.retryable).toBe(true);
    expect(proxy.accepted).toBe(1);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('ends a blackholed attempt as soon as its signal aborts, leaving no socket open', async () => {
    proxy.blackhole();
    const controller = new AbortController();
    const reason = new Error('attempt timed out');
    const pending = inits.failure(viaProxy({ connectTimeoutMs: 60_000 }), controller.signal);
    await expect.poll(() => proxy.connections).toBe(1);
    controller.abort(reason);
    expect((await pending).error).toBe(reason);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('fails a reset connection as transient', async () => {
    proxy.resetNew(true);
    const { error } = await inits.failure(viaProxy());
    expect(isStartupError(error) && error.retryable).toBe(true);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('cleans up a warm-up that fails half way', async () => {
    const plugin = viaProxy({ warmConnections: 4 });
    // The first connection succeeds; the warm-up's new ones are reset.
    const { ctx } = pluginContext();
    const steps: string[] = [];
    const error = await Promise.resolve(
      plugin.init({
        ...ctx,
        step: async (name, fn) => {
          steps.push(name);
          if (name === 'warm-up') proxy.resetNew(true);
          return fn();
        },
      }),
    ).catch((e: unknown) => e);
    expect(steps).toEqual(['connect', 'verify', 'warm-up']);
    expect(isStartupError(error) && error.retryable).toBe(true);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('reports a server that dies while running, fails health, and recovers when it is back', async () => {
    const plugin = viaProxy({ warmConnections: 2 });
    const { resource: pool, record } = await inits.start(plugin);
    expect(await mysqlConnections(database)).toBe(2);

    await proxy.refuse();
    await expect(plugin.healthCheck?.(pool, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_MYSQL_UNAVAILABLE',
    });
    expect(record.runtime).toMatchObject([
      { type: 'down', error: { code: 'STARTUP_ERR_MYSQL_UNAVAILABLE' } },
    ]);

    await proxy.accept();
    await expect(plugin.healthCheck?.(pool, resourceContext())).resolves.toMatchObject({ waitingCount: 0 });
    expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
  });

  it('keeps the process alive when idle connections are cut (no unhandled error)', async () => {
    const { resource: pool, record } = await inits.start(viaProxy({ warmConnections: 3 }));
    proxy.cutAll();
    await expect.poll(() => pooled(pool)).toBe(0);
    expect(record.runtime.map((r) => r.type)).toEqual(['down']);
  });

  it('fails a health check whose answer does not come within its signal, dropping that connection', async () => {
    const plugin = viaProxy({ warmConnections: 2 });
    const { resource: pool } = await inits.start(plugin);
    proxy.blackhole();
    const reason = new Error('health check timed out');
    const controller = new AbortController();
    const check = plugin.healthCheck?.(pool, { ...resourceContext(), signal: controller.signal });
    setTimeout(() => controller.abort(reason), 100);
    await expect(check).rejects.toBe(reason);
    proxy.forward();
    expect(pooled(pool)).toBe(1);
  });
});
