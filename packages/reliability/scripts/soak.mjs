// @ts-check
// The long leak soak: `pnpm soak` (root) builds the connectors and runs this with --expose-gc.
//   node --expose-gc packages/reliability/scripts/soak.mjs [--cycles 500] [--warmup 50] [--no-doc]
// Each cycle starts and stops PostgreSQL + Redis + MySQL + NATS + MQTT + RabbitMQ through the core runner (ready), then a start
// that fails on a permanent error (failed), then a start aborted while NATS hangs (aborted). After each,
// the servers must hold no connection of the run and no handle may be left above the baseline (RabbitMQ: no
// connection left open through the proxy in front of it, and, counted once at the end with `rabbitmqctl`, which
// costs 1–3 s a call, none on the broker under the run's name). The
// figures go to docs/reliability.md (section "soak") unless --no-doc; the exit status is 1 on any leak or
// when resident memory grew by 5 MB or more.
import { parseArgs } from 'node:util';
import { createFaultProxy } from '@startup/fault-proxy';
import {
  addressOf,
  amqpUrl,
  createMysqlDatabase,
  dropMysqlDatabase,
  rabbitmqConnectionsLeft,
  startMosquitto,
  startNatsServer,
  urlWith,
} from '@startup/test-kit';
import { watchHandles } from './active-handles.mjs';
import { reliabilityDoc, replaceSection } from './doc-section.mjs';
import { openServerObserver } from './server-observer.mjs';
import { isClean, leftovers, runCycle } from './start-stop-cycles.mjs';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const cycles = Number(values.cycles);
const warmup = Number(values.warmup);
const rssLimitBytes = 5 * 1024 * 1024;
/** @type {Array<import('./start-stop-cycles.mjs').CycleKind>} */
const kinds = ['ready', 'failed', 'aborted'];

const gc = /** @type {undefined | (() => void)} */ (globalThis.gc);
if (gc === undefined) {
  console.error('run with node --expose-gc (pnpm soak does)');
  process.exit(2);
}

/** Resident and heap memory after two forced collections, in bytes. */
async function memory() {
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

/**
 * Which kinds of start leaked what, and for how long.
 * @param {Array<{ kind: string, left: import('./start-stop-cycles.mjs').Leftovers }>} leaks
 */
function leakSummary(leaks) {
  if (leaks.length === 0) return '';
  /** @type {Map<string, number[]>} */
  const byWhat = new Map();
  for (const { kind, left } of leaks) {
    const what = `${kind}: ${
      Object.entries(left.handles)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'server connections'
    }`;
    byWhat.set(what, [...(byWhat.get(what) ?? []), left.lingerMs]);
  }
  const parts = [...byWhat].map(
    ([what, ms]) => `${what} × ${ms.length} (gone after ${Math.min(...ms)}–${Math.max(...ms)} ms)`,
  );
  return ` — ${parts.join('; ')}`;
}

const sampleEvery = 10;

/** @param {number[]} values */
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Least-squares slope of y over x.
 * @param {Array<[number, number]>} points
 */
function slope(points) {
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const num = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const den = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

const server = await startNatsServer({ jetstream: true });
const blackhole = await createFaultProxy({ target: addressOf(server.url) });
blackhole.blackhole();
const broker = await startMosquitto();
const rabbitmq = await createFaultProxy({ target: addressOf(amqpUrl) });
const observer = await openServerObserver();
const targets = {
  name: `startup-soak-${process.pid}`,
  natsUrl: server.url,
  blackholedNatsUrl: `nats://${blackhole.host}:${blackhole.port}`,
  observer,
  natsConnectionNames: () => server.connectionNames(),
  mysqlDatabase: `startup_soak_${process.pid}`,
  mysqlConnections: (/** @type {string} */ database) => observer.mysql(database),
  mqttUrl: broker.url,
  mqttClientIds: () => broker.clients(),
  amqpUrl: urlWith(amqpUrl, { host: rabbitmq.host, port: rabbitmq.port }),
  amqpConnections: () => rabbitmq.connections,
};
await createMysqlDatabase(targets.mysqlDatabase);

let exitCode = 0;
try {
  // Before the baseline: the first write to stdout opens its handle (a pipe or a TTY).
  console.log(`soak: ${cycles} cycles after ${warmup} warm-up cycles, connections named ${targets.name}`);
  for (let i = 0; i < warmup; i++) for (const kind of kinds) await runCycle(targets, kind);
  const watch = watchHandles();
  const before = await memory();
  /** @type {Array<{ cycle: number, rss: number, heapUsed: number }>} */
  const samples = [{ cycle: 0, ...before }];
  /** @type {Record<string, Record<string, number>>} */
  const outcomes = { ready: {}, failed: {}, aborted: {} };
  /** @type {Array<{ cycle: number, kind: string, left: import('./start-stop-cycles.mjs').Leftovers }>} */
  const leaks = [];
  const peak = { postgres: 0, redis: 0, nats: 0, mysql: 0, mqtt: 0, amqp: 0 };
  const began = performance.now();

  for (let cycle = 1; cycle <= cycles; cycle++) {
    for (const kind of kinds) {
      const result = await runCycle(targets, kind);
      const key = result.code ? `${result.outcome} (${result.code})` : result.outcome;
      const seen = /** @type {Record<string, number>} */ (outcomes[kind]);
      seen[key] = (seen[key] ?? 0) + 1;
      const left = await leftovers(targets, watch);
      peak.postgres = Math.max(peak.postgres, left.postgres);
      peak.redis = Math.max(peak.redis, left.redis);
      peak.nats = Math.max(peak.nats, left.nats);
      peak.mysql = Math.max(peak.mysql, left.mysql);
      peak.mqtt = Math.max(peak.mqtt, left.mqtt);
      peak.amqp = Math.max(peak.amqp, left.amqp);
      if (!isClean(left)) leaks.push({ cycle, kind, left });
    }
    if (cycle % sampleEvery === 0 || cycle === cycles) {
      const now = await memory();
      samples.push({ cycle, ...now });
      if (cycle % 50 === 0 || cycle === cycles) {
        console.log(
          `cycle ${cycle}/${cycles}: rss ${mb(now.rss)}, heap ${mb(now.heapUsed)}, leaks ${leaks.length}`,
        );
      }
    }
  }

  watch.dispose();
  const seconds = (performance.now() - began) / 1000;
  const onBroker = await rabbitmqConnectionsLeft(targets.name);
  const after = /** @type {{ rss: number, heapUsed: number }} */ (samples.at(-1));
  // RSS after a forced GC still moves by a few MB either way (allocator arenas, JIT code): compare the mean of
  // the first and last five samples, and give the least-squares trend, rather than two single readings.
  const rssGrowth = mean(samples.slice(-5).map((s) => s.rss)) - mean(samples.slice(0, 5).map((s) => s.rss));
  const heapGrowth =
    mean(samples.slice(-5).map((s) => s.heapUsed)) - mean(samples.slice(0, 5).map((s) => s.heapUsed));
  const rssTrend = slope(samples.map((s) => [s.cycle, s.rss])) * 100;
  const ok = leaks.length === 0 && onBroker === 0 && rssGrowth < rssLimitBytes;
  exitCode = ok ? 0 : 1;

  const lines = [
    `Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, \`pnpm soak\` (${cycles} cycles after ${warmup} warm-up cycles, ${seconds.toFixed(0)} s). Result: **${ok ? 'pass' : 'FAIL'}**.`,
    '',
    '| Figure | Value |',
    '| --- | --- |',
    `| Cycles (each: ready + failed + aborted start, every connector) | ${cycles} (${cycles * kinds.length} starts) |`,
    ...kinds.map(
      (kind) =>
        `| Outcomes, ${kind} | ${Object.entries(/** @type {Record<string, number>} */ (outcomes[kind]))
          .map(([k, n]) => `${k} × ${n}`)
          .join(', ')} |`,
    ),
    `| Starts leaving a connection or handle behind after stop() | ${leaks.length} of ${cycles * kinds.length}${leakSummary(leaks)} |`,
    `| Most connections left after a stop (PostgreSQL / Redis / NATS / MySQL / MQTT / RabbitMQ at its proxy) | ${peak.postgres} / ${peak.redis} / ${peak.nats} / ${peak.mysql} / ${peak.mqtt} / ${peak.amqp} |`,
    `| RabbitMQ connections of the run on the broker after the last cycle (\`rabbitmqctl\`, counted once) | ${onBroker} |`,
    `| RSS after forced GC: first → last sample | ${mb(before.rss)} → ${mb(after.rss)} |`,
    `| RSS growth, mean of the last 5 samples − mean of the first 5 (limit 5 MB) | ${mb(rssGrowth)} |`,
    `| RSS trend, least squares over ${samples.length} samples | ${mb(rssTrend)} per 100 cycles |`,
    `| Heap used after forced GC: first → last sample (growth, same means) | ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (${mb(heapGrowth)}) |`,
    `| RSS every 50 cycles (cycle: MB) | ${samples
      .filter((s) => s.cycle % 50 === 0)
      .map((s) => `${s.cycle}: ${(s.rss / 1024 / 1024).toFixed(1)}`)
      .join(', ')} |`,
  ];
  const section = lines.join('\n');
  console.log(`\n${section}`);
  if (leaks.length > 0) console.log('first leaks:', JSON.stringify(leaks.slice(0, 5), null, 2));
  if (!values['no-doc']) {
    await replaceSection(reliabilityDoc, 'soak', section);
    console.log(`\nwritten to ${reliabilityDoc}`);
  }
} finally {
  await dropMysqlDatabase(targets.mysqlDatabase);
  await observer.close();
  await blackhole.close();
  await rabbitmq.close();
  await server.stop();
  await broker.stop();
}
process.exitCode = exitCode;
