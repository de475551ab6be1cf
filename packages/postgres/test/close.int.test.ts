import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  postgresConnections,
  postgresConnectionsLeft,
  postgresUrl,
  recordingLogger,
  settlesWithin,
  uniqueName,
  urlWith,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresPluginOptions, postgres } from '../src/index.js';

// The close of a pool with a query in flight: a healthy server answers it within the grace and the close waits
// for it; a server behind a silent network never does, and the close destroys its connection once the grace is
// over instead of waiting for the query timeout.

let applicationName: string;
let proxy: FaultProxy;
let handles: HandleWatch;

beforeEach(async () => {
  applicationName = uniqueName('postgres-close');
  handles = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(postgresUrl) });
});

afterEach(async () => {
  await proxy.close();
  expect(await postgresConnectionsLeft(applicationName)).toBe(0);
  await expectNothingLeft(handles);
});

async function started(options: PostgresPluginOptions) {
  const plugin = postgres({
    url: urlWith(postgresUrl, { host: proxy.host, port: proxy.port }),
    applicationName,
    connectTimeoutMs: 300,
    ...options,
  });
  const pool = await plugin.init(pluginContext().ctx);
  return { plugin, pool };
}

/** A close whose signal never aborts: only the plugin's own grace can cut it short. */
function closeContext(logs: string[]) {
  return { signal: new AbortController().signal, logger: recordingLogger(logs) };
}

describe('closing a pool with a query in flight', () => {
  it('waits for a query the server answers within the grace, then leaves nothing on the server', async () => {
    const { plugin, pool } = await started({ closeGraceMs: 60_000 });
    const order: string[] = [];
    const client = await pool.connect();
    const query = client.query<{ answer: number }>('SELECT 42 AS answer FROM pg_sleep(0.2)').finally(() => {
      order.push('query answered');
      client.release();
    });
    const logs: string[] = [];
    const closing = Promise.resolve(plugin.close?.(pool, closeContext(logs))).then(() =>
      order.push('closed'),
    );
    expect((await query).rows).toEqual([{ answer: 42 }]);
    await closing;
    expect(order).toEqual(['query answered', 'closed']);
    expect(logs.filter((line) => line.startsWith('warn'))).toEqual([]);
    expect(pool.ended).toBe(true);
    expect(await postgresConnections(applicationName)).toBe(0);
  });

  it('destroys the connection of a query sent into a blackhole once the grace is over, not at the query timeout', async () => {
    const closeGraceMs = 200;
    const queryTimeoutMs = 600_000;
    // Generous: the grace plus ten seconds for the sockets to close on a loaded machine; the query timeout,
    // which alone would end the query, is far beyond it.
    const boundMs = closeGraceMs + 10_000;
    const { plugin, pool } = await started({ closeGraceMs, queryTimeoutMs, warmConnections: 1 });
    expect(await postgresConnections(applicationName)).toBe(1);
    proxy.blackhole();
    // As a custom plugin's health check does: a pool query with no signal of its own.
    const query = pool.query('SELECT 1').then(
      () => 'answered',
      (error: Error) => `failed: ${error.message}`,
    );
    await expect.poll(() => pool.idleCount).toBe(0);
    const logs: string[] = [];
    expect(await settlesWithin(plugin.close?.(pool, closeContext(logs)), boundMs)).toBe('closed');
    expect(await query).toMatch(/^failed: /);
    expect(logs.filter((line) => line.startsWith('warn'))).toEqual([
      `warn connections still busy after the close grace: destroyed ${JSON.stringify({ open: 1, graceMs: closeGraceMs })}`,
    ]);
    expect(pool.ended).toBe(true);
    await expect.poll(() => proxy.connections).toBe(0);
    // Nothing on the server: its side of each connection went with the proxy's.
    expect(await postgresConnectionsLeft(applicationName)).toBe(0);
  });

  it('destroys every connection at once with a grace of 0', async () => {
    const { plugin, pool } = await started({ closeGraceMs: 0, queryTimeoutMs: 600_000 });
    proxy.blackhole();
    const client = await pool.connect();
    const query = client.query('SELECT 1').then(
      () => 'answered',
      () => 'failed',
    );
    const logs: string[] = [];
    await plugin.close?.(pool, closeContext(logs));
    expect(await query).toBe('failed');
    client.release();
    expect(logs).toEqual([]);
    expect(pool.ended).toBe(true);
  });
});
