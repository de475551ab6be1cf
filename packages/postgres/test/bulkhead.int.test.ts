import { createBulkhead, createStartup, type StartupOptions, type StartupReport } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  expectNothingLeft,
  type HandleWatch,
  postgresConnectionsLeft,
  postgresUrl,
  uniqueName,
  urlWith,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { postgres } from '../src/index.js';

let applicationName: string;
let proxy: FaultProxy;
let handles: HandleWatch;
const apps: { stop(): Promise<void> }[] = [];

beforeEach(async () => {
  applicationName = uniqueName('postgres-bulkhead');
  handles = watchHandles();
  proxy = await createFaultProxy({ target: addressOf(postgresUrl) });
  // Every round trip takes a while, so five starts let loose overlap for certain.
  proxy.latency(20);
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await proxy.close();
  expect(await postgresConnectionsLeft(applicationName)).toBe(0);
  await expectNothingLeft(handles);
});

const options: StartupOptions = { deadlineMs: 20_000, defaults: { attemptTimeoutMs: 10_000 } };

/**
 * The most attempts that overlapped in `report`: a sweep over every attempt's [startMs, endMs), an end counted
 * before a start at the same instant (a place freed is taken by the next attempt only after). Read from the report,
 * not from events: a freed place may start the next attempt before the first plugin's `plugin:ready` is emitted.
 */
function mostAtOnce(report: StartupReport): number {
  const edges = report.plugins
    .flatMap((p) => p.attempts)
    .flatMap((a) => [
      [a.startMs, 1],
      [a.endMs!, -1],
    ])
    .sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  let running = 0;
  let most = 0;
  for (const [, step] of edges) {
    running += step!;
    most = Math.max(most, running);
  }
  return most;
}

/** Five PostgreSQL plugins on one server, given `shared` alike; returns the most attempts that ran at once. */
async function startFive(shared: { bulkhead?: ReturnType<typeof createBulkhead> }) {
  const url = urlWith(postgresUrl, { host: proxy.host, port: proxy.port });
  const plugins = [1, 2, 3, 4, 5].map((n) =>
    postgres({ name: `pg${n}`, url, applicationName, warmConnections: 2, ...shared }),
  );
  const app = createStartup(plugins, options);
  apps.push(app);
  await app.start();
  const report = app.report();
  return { most: mostAtOnce(report), report };
}

it('lets no more than two of five plugins sharing a bulkhead of 2 start at once', async () => {
  const bulkhead = createBulkhead({ maxConcurrent: 2, name: 'postgres' });
  const { most, report } = await startFive({ bulkhead });
  expect(most).toBe(2);
  expect(report.status).toBe('ready');
  const attempts = report.plugins.map((p) => p.attempts[0]!);
  const shortest = Math.min(...attempts.map((a) => a.endMs! - a.startMs));
  // Two took a place at once; the other three waited for one to end (an attempt is several round trips).
  expect(attempts.filter((a) => a.waitedMs! >= shortest / 2)).toHaveLength(3);
  expect(bulkhead.toJSON()).toMatchObject({ running: 0, queued: 0 });
});

it('starts all five at once without one (what the bulkhead prevents)', async () => {
  const { most, report } = await startFive({});
  expect(most).toBe(5);
  expect(report.plugins.every((p) => p.attempts[0]?.waitedMs === undefined)).toBe(true);
});

it('refuses a bulkhead option that is not a bulkhead, naming the plugin', () => {
  expect(() => postgres({ name: 'orders', bulkhead: { maxConcurrent: 2 } as never })).toThrow(
    expect.objectContaining({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining('"bulkhead" of plugin "orders"'),
    }),
  );
});
