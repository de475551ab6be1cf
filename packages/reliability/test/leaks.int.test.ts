import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  amqpUrl,
  createMysqlDatabase,
  dropMysqlDatabase,
  type MosquittoServer,
  type NatsServer,
  rabbitmqConnectionsLeft,
  startMosquitto,
  startNatsServer,
  urlWith,
} from '@startup/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchHandles } from '../scripts/active-handles.mjs';
import { openServerObserver, type ServerObserver } from '../scripts/server-observer.mjs';
import {
  type CycleKind,
  type CycleTargets,
  isClean,
  type Leftovers,
  leftovers,
  runCycle,
} from '../scripts/start-stop-cycles.mjs';

// The CI-sized leak run: the same cycles as `pnpm soak` (scripts/soak.mjs), 25 of each kind.
const cycles = Number(process.env.STARTUP_LEAK_CYCLES ?? 25);
const kinds: CycleKind[] = ['ready', 'failed', 'aborted'];
const warmup = 5;
// RSS over 25 cycles inside a vitest worker mostly measures the JIT and the allocator warming up; the
// heap after a forced GC is what a leak grows. The 500-cycle soak (plain node) checks RSS < 5 MB.
const heapLimitBytes = 5 * 1024 * 1024;

// vitest runs the file without --expose-gc; the flag can still be set before the first gc() is looked up.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: NatsServer;
let broker: MosquittoServer;
let blackhole: FaultProxy;
let rabbitmq: FaultProxy;
let observer: ServerObserver;
let targets: CycleTargets;

beforeAll(async () => {
  [server, observer, broker] = await Promise.all([
    startNatsServer({ jetstream: true }),
    openServerObserver(),
    startMosquitto(),
  ]);
  blackhole = await createFaultProxy({ target: addressOf(server.url) });
  blackhole.blackhole();
  rabbitmq = await createFaultProxy({ target: addressOf(amqpUrl) });
  targets = {
    name: `startup-leaks-${process.pid}`,
    natsUrl: server.url,
    blackholedNatsUrl: `nats://${blackhole.host}:${blackhole.port}`,
    observer,
    natsConnectionNames: () => server.connectionNames(),
    mysqlDatabase: `startup_leaks_${process.pid}`,
    mysqlConnections: (database) => observer.mysql(database),
    mqttUrl: broker.url,
    mqttClientIds: () => broker.clients(),
    amqpUrl: urlWith(amqpUrl, { host: rabbitmq.host, port: rabbitmq.port }),
    amqpConnections: () => rabbitmq.connections,
  };
  await createMysqlDatabase(targets.mysqlDatabase);
});

afterAll(async () => {
  if (targets) await dropMysqlDatabase(targets.mysqlDatabase);
  await Promise.all([observer?.close(), blackhole?.close(), rabbitmq?.close()]);
  await server?.stop();
  await broker?.stop();
});

/** Resident and heap memory after two forced collections, in bytes. */
async function memoryAfterGc(): Promise<{ rss: number; heapUsed: number }> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

describe(`${cycles} start/stop cycles of every connector through the runner`, () => {
  it('leave no connection on any server and no handle in the process after each stop, whether the start succeeded, failed or was aborted', async () => {
    for (let i = 0; i < warmup; i++) for (const kind of kinds) await runCycle(targets, kind);
    const watch = watchHandles();
    const before = await memoryAfterGc();
    const outcomes: string[] = [];
    const leaks: Array<{ cycle: number; kind: CycleKind; left: Leftovers }> = [];

    for (let cycle = 1; cycle <= cycles; cycle++) {
      for (const kind of kinds) {
        const result = await runCycle(targets, kind);
        outcomes.push(`${kind}: ${result.outcome}${result.code ? ` ${result.code}` : ''}`);
        const left = await leftovers(targets, watch);
        if (!isClean(left)) leaks.push({ cycle, kind, left });
      }
    }

    watch.dispose();
    const after = await memoryAfterGc();
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
    console.info(
      `leaks: ${cycles} cycles × ${kinds.join('/')}: after GC, RSS ${mb(before.rss)} → ${mb(after.rss)}, heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}; ${leaks.length} leaking starts`,
    );
    expect(new Set(outcomes)).toEqual(
      new Set(['ready: ready', 'failed: failed STARTUP_ERR_FAILED', 'aborted: aborted STARTUP_ERR_ABORTED']),
    );
    expect(leaks).toEqual([]);
    // The broker's own count costs 1–3 s a call (rabbitmqctl): once, after the last cycle.
    expect(await rabbitmqConnectionsLeft(targets.name)).toBe(0);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(heapLimitBytes);
  }, 120_000);
});
