import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { num, ratio, spread, verdict } from '../format.js';
import { connectorPairs, startContenders } from '../real-start/contenders.js';
import type { RunOptions } from '../run-options.js';
import type { Section, Table } from '../section.js';
import { servers, unreachableServers } from '../servers.js';
import { spawnApp } from '../spawn-app.js';
import { summarize } from '../statistics.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const appsDir = fileURLToPath(new URL('../apps/', import.meta.url));
/** The sample app's entry point; P2's spawn part and P5 need it built. */
export const sampleMain = `${root}apps/sample/dist/main.js`;
const targets = { ...servers, warmConnections: 10 };
/** What the sample and the hand-written app are given: the same servers, quiet logs, no history file. */
export const appEnv = {
  DATABASE_URL: servers.postgres,
  REDIS_URL: servers.redis,
  NATS_URL: servers.nats,
  PG_WARM_CONNECTIONS: '10',
  HISTORY_STORE: 'off',
  LOG_LEVEL: 'warn',
};

/** P2: a real start of PostgreSQL (warmed to 10), Redis and NATS with JetStream, in process and spawned. */
export async function realStartMeasure(options: RunOptions): Promise<Section> {
  const down = await unreachableServers();
  if (down.length > 0) return skipped(`servers not reachable: ${down.join(', ')}`);
  const rounds = options.quick ? 8 : 30;
  const walls = new Map<string, number[]>(startContenders.map((c) => [c.name, []]));
  const ratios: number[] = [];
  // A warm-up round: module loading, JIT and the servers' first connections are not what is compared.
  for (const contender of startContenders) {
    await contender.start(targets);
    await settle();
  }
  for (let round = 0; round < rounds; round++) {
    const inRound = new Map<string, number>();
    // The order turns every round so no contender always goes first.
    for (let k = 0; k < startContenders.length; k++) {
      const contender = startContenders[(round + k) % startContenders.length]!;
      const wall = await contender.start(targets);
      await settle();
      inRound.set(contender.name, wall);
      walls.get(contender.name)!.push(wall);
    }
    ratios.push(inRound.get(startContenders[0]!.name)! / inRound.get(startContenders[1]!.name)!);
  }
  const reference = summarize(walls.get('hand-written Promise.all')!).median;
  const inProcess: Table = {
    caption: `In process (${rounds} rounds)`,
    header: ['start', 'wall', '÷ hand-written Promise.all'],
    rows: startContenders.map((c) => {
      const s = summarize(walls.get(c.name)!);
      return [c.name, spread(s, 1, ' ms'), ratio(s.median / reference)];
    }),
  };
  const perRound = summarize(ratios);
  const alone = await eachAlone(rounds);
  const met = perRound.median <= 1.05;
  const spawned = await spawnToReady(options.quick ? 3 : 10);
  const ours = summarize(walls.get(startContenders[0]!.name)!).median;
  const sequential = summarize(walls.get('sequential awaits')!).median;
  return {
    title: 'P2 real start',
    goal: '≤ 1.05 × hand-written `Promise.all`',
    method: `PostgreSQL (pool warmed to 10: connect, verify query, 10 connections each running \`SELECT 1\`), Redis (connect, PING) and NATS (connect, PING, JetStream account info) on loopback. Ours: \`createStartup([postgres({ warmConnections: 10 }), redis(), nats({ jetstream: true })])\`; hand-written: the same clients doing the same work under \`Promise.all\` (packages/bench/src/apps/hand-written-start.mjs); sequential: the same, awaited one after the other. A warm-up round, then rounds running each in turn (order rotated); close untimed, then an untimed 100 ms pause so the servers have finished tearing down the previous connections (without it, the start after a close that resolves early pays for PostgreSQL reaping 11 backends: a bias of ~5–8 ms we measured against whoever comes next). Spawn-to-ready: \`node apps/sample/dist/main.js\` (Fastify, monitor, the three connectors and the sample's two plugins) polled every 5 ms on GET /health/ready until 200, vs a hand-written node:http app starting the same clients with Promise.all, vs node:http answering "ok" with nothing to start (the floor: Node's own boot).`,
    summary: `in process ours ÷ hand-written Promise.all = ${ratio(perRound.median)} (${verdict(met)}); sequential ÷ ours = ${ratio(sequential / ours)}`,
    tables: [
      inProcess,
      {
        caption: 'Ours ÷ hand-written Promise.all, per round',
        header: ['ratio', 'goal'],
        rows: [[spread(perRound, 3), `≤ ×1.05: ${verdict(met)}`]],
      },
      alone,
      spawned.table,
    ],
    notes: [
      `In process, our start is ${ratio(perRound.median)} the hand-written \`Promise.all\` of the same clients (${verdict(met)}); sequential awaits take ${ratio(sequential / ours)} ours. On loopback the whole start takes tens of milliseconds and is dominated by PostgreSQL forking a backend per connection, on the same 2 cores as the client: running the three at once gains little over running them in turn, and a few milliseconds of client-side work show as a large ratio. What ours adds is the runner (P1) and the connectors' care: each step bounded by a timeout and the start's AbortSignal (the NATS connector also aborts on a connection lost while starting), option validation, socket tracking, status watchers, events and the report; the table "each connector alone" shows which connector it comes from.`,
      ...spawned.notes,
    ],
  };
}

/**
 * An untimed pause after every close. PostgreSQL reaps a backend process per closed connection after the
 * client saw its socket close; without the pause the next start pays for the previous one's teardown, and
 * which contender pays depends on how early each close resolves (pg-pool's \`end()\` resolves sooner than our
 * connector's close, which waits for every socket).
 */
const settle = () => delay(100);

async function eachAlone(rounds: number): Promise<Table> {
  const rows: string[][] = [];
  for (const pair of connectorPairs) {
    await pair.ours(targets);
    await pair.handWritten(targets);
    await settle();
    const ours: number[] = [];
    const hand: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternating which goes first, each followed by the pause.
      for (const which of round % 2 === 0 ? ['ours', 'hand'] : ['hand', 'ours']) {
        if (which === 'ours') ours.push(await pair.ours(targets));
        else hand.push(await pair.handWritten(targets));
        await settle();
      }
    }
    const o = summarize(ours);
    const h = summarize(hand);
    rows.push([
      pair.connector,
      spread(o, 1, ' ms'),
      spread(h, 1, ' ms'),
      `${num(o.median - h.median, 1)} ms`,
    ]);
  }
  return {
    caption: `Each connector alone, in process (${rounds} rounds): where the difference comes from`,
    header: ['connector', 'ours (createStartup + connector)', 'hand-written', 'difference of medians'],
    rows,
  };
}

async function spawnToReady(rounds: number): Promise<{ table: Table; notes: string[] }> {
  const apps: { name: string; script: string; env?: Record<string, string> }[] = [
    { name: 'node:http "ok" (floor)', script: `${appsDir}bare-http.mjs` },
    {
      name: 'node:http "ok" after importing pg, ioredis, nats.js',
      script: `${appsDir}bare-http.mjs`,
      env: { BENCH_IMPORT_CLIENTS: '1' },
    },
    { name: 'hand-written app (node:http + Promise.all)', script: `${appsDir}hand-written-app.mjs` },
    { name: 'sample app (apps/sample/dist/main.js)', script: sampleMain },
  ];
  const sampleBuilt = existsSync(sampleMain);
  const walls = new Map<string, number[]>(apps.map((a) => [a.name, []]));
  const failures: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const app of apps) {
      if (app.script === sampleMain && !sampleBuilt) continue;
      try {
        const spawned = await spawnApp({ script: app.script, env: { ...appEnv, ...app.env }, cwd: root });
        walls.get(app.name)!.push(spawned.readyMs);
        await spawned.stop();
      } catch (error) {
        failures.push(`${app.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const floor = summarize(walls.get(apps[0]!.name)!).median;
  const table: Table = {
    caption: `Spawn to ready (${rounds} rounds)`,
    header: ['process', 'spawn → GET /health/ready 200', 'minus the floor'],
    rows: apps.map((a) => {
      const s = summarize(walls.get(a.name)!);
      return s.n === 0
        ? [a.name, 'not measured', '–']
        : [a.name, spread(s, 0, ' ms'), `${num(s.median - floor, 0)} ms`];
    }),
  };
  const notes: string[] = [];
  if (!sampleBuilt)
    notes.push(
      `The sample app was not measured: ${sampleMain} does not exist (build it with \`pnpm build\`); the suite measures it as soon as it does.`,
    );
  const unique = [...new Set(failures.map((f) => f.slice(0, 400)))];
  if (unique.length > 0) notes.push(`Spawn failures (${failures.length}): ${unique.join(' | ')}`);
  const median = (i: number) => summarize(walls.get(apps[i]!.name)!).median;
  const [imports, hand, sample] = [median(1) - floor, median(2), median(3)];
  if (Number.isFinite(sample) && Number.isFinite(hand)) {
    notes.push(
      `Spawned, most of the time to ready is loading code, not starting services: importing pg, ioredis and nats.js unbundled from node_modules alone costs ${num(imports, 0)} ms here (cold), against ~${num(floor, 0)} ms for Node's own boot. The sample app is ${sample <= hand ? `ready ${num(hand - sample, 0)} ms before` : `ready ${num(sample - hand, 0)} ms after`} the hand-written app${sample <= hand ? ' although it loads more (Fastify, pino, the monitor): its build bundles everything into one file (apps/sample/dist/main.js), which loads faster than hundreds of files resolved through node_modules' : ': it loads more code (Fastify, pino, the monitor, the connectors, @startup/core) before anything connects'}. The in-process rows compare the starts themselves.`,
    );
  }
  return { table, notes };
}

function skipped(reason: string): Section {
  return {
    title: 'P2 real start',
    goal: '≤ 1.05 × hand-written `Promise.all`',
    method: '–',
    summary: '',
    tables: [],
    notes: [],
    skipped: reason,
  };
}
