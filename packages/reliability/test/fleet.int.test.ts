import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { simulateHerd } from '@startup/bench/herd';
import { retryPolicy } from '@startup/core/plugin-kit';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { type HistoryEntry, sqlHistory, trend } from '@startup/monitor';
import { addressOf, postgresUrl, redisUrl } from '@startup/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSection } from '../scripts/doc-section.mjs';
import { openServerObserver, type ServerObserver, settle } from '../scripts/server-observer.mjs';
import { type SampleProcess, spawnSample } from './sample-app.js';

// Five instances of the built sample as real processes, one history table shared on PostgreSQL, each
// instance's PostgreSQL and Redis connections through its own fault proxy. Bounded: at most 3 PostgreSQL
// connections an instance (15 in all), about 60 s of wall time, most of it the 20 s outage, the restarts and the
// 5 s close grace of the last stops.
const replicas = 5;
const outageMs = 20_000;
const slowLatencyMs = 400;
/** How long after the outage every instance must be ready again, in milliseconds. */
const recoveryBoundMs = 45_000;
/** The start of the instance made slow is at least this many times each ordinary restart's. */
const slowFactor = 4;
const run = randomBytes(3).toString('hex');
const service = `fleet-${run}`;
const table = `startup_fleet_${run}`;
const instanceName = (i: number) => `${service}-${i + 1}`;

interface Member {
  name: string;
  postgres: FaultProxy;
  redis: FaultProxy;
  app?: SampleProcess;
}

const members: Member[] = [];
const pool = new pg.Pool({ ...addressOf(postgresUrl), user: 'postgres', database: 'test', max: 1 });
const history = sqlHistory({ client: pool, table });
let observer: ServerObserver;
const figures: {
  restarts: {
    instance: string;
    entries: number;
    wallMs: number;
    baselineMs?: number;
    changePercent?: number;
    regression: boolean;
    baselineInstances: number;
  }[];
  outage?: Outage;
  stops?: Stop[];
} = { restarts: [] };

/** One instance stopped by SIGTERM right after the outage. */
interface Stop {
  exitCode: number | string;
  /** SIGTERM to exit, in milliseconds. */
  tookMs: number;
  /** PostgreSQL connections the close destroyed once its grace was over (queries sent into the blackhole). */
  destroyed: number;
}

interface Outage {
  liveFailures: number;
  readyStates: Record<string, string[]>;
  recoveredAfterMs: number[];
  perSecondDuring: number[];
  perSecondRecovery: number[];
  predictedPeakPerSecond: number;
  /** The simulation's attempts over the outage per second of it. */
  predictedMeanPerSecond: number;
}

function start(member: Member): SampleProcess {
  member.app = spawnSample({
    SERVICE_NAME: service,
    HOSTNAME: member.name,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${member.postgres.port}/test`,
    REDIS_URL: `redis://127.0.0.1:${member.redis.port}`,
    HISTORY_STORE: `postgres:${table}`,
    PG_WARM_CONNECTIONS: '2',
    PG_POOL_MAX: '3',
    STARTUP_GRADES: 'loopback',
    LOG_LEVEL: 'info',
  });
  return member.app;
}

/** The `startup.baseline` of an instance's health payload once its monitor recorded its start. */
async function baselineOf(member: Member): Promise<Record<string, any>> {
  return settle(
    async () => {
      const body = await (await member.app!.request('/health')).json().catch(() => undefined);
      return body?.startup?.baseline as Record<string, any> | undefined;
    },
    (b) => b?.instance === member.name,
    15_000,
  ).then((b) => {
    if (b?.instance !== member.name)
      throw new Error(`${member.name} never showed its baseline: ${JSON.stringify(b)}`);
    return b;
  });
}

async function entries(): Promise<HistoryEntry[]> {
  return (await history.list()).filter((e) => e.service === service);
}

beforeAll(async () => {
  observer = await openServerObserver();
  for (let i = 0; i < replicas; i++) {
    members.push({
      name: instanceName(i),
      postgres: await createFaultProxy({ target: addressOf(postgresUrl) }),
      redis: await createFaultProxy({ target: addressOf(redisUrl) }),
    });
  }
  // One after another, as a deployment scales up: the first baseline is not made of five starts competing
  // for the same two cores.
  for (const m of members) await start(m).ready(30_000);
  // Each start is recorded after it completed: wait for all five.
  await settle(entries, (e) => e.length === replicas, 15_000);
}, 90_000);

afterAll(async () => {
  await Promise.all(members.map((m) => m.app?.stop()));
  await Promise.all(members.flatMap((m) => [m.postgres.close(), m.redis.close()]));
  await pool.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => {});
  await pool.end();
  await observer?.close();
});

describe('a fleet of five instances sharing PostgreSQL and Redis', () => {
  it('keeps every start of a rolling restart with its instance and flags the instance made slow', async () => {
    expect((await entries()).map((e) => e.instance).sort()).toEqual(members.map((m) => m.name).sort());
    for (const [i, member] of members.entries()) {
      expect(await member.app!.stop()).toBe(0);
      const slow = i === replicas - 1;
      if (slow) {
        member.postgres.latency(slowLatencyMs);
        member.redis.latency(slowLatencyMs);
      }
      await start(member).ready(30_000);
      const recorded = await settle(entries, (e) => e.length === replicas + i + 1, 15_000);
      expect(recorded).toHaveLength(replicas + i + 1);
      const baseline = await baselineOf(member);
      // The fleet baseline the instance shows is the one its history gives: every instance's starts before it.
      const expected = trend(recorded, { instance: member.name });
      expect(baseline).toMatchObject({
        instance: member.name,
        wallMs: expected.latest!.wallMs,
        baselineMs: expected.baselineMs,
        baselineSize: Math.min(10, replicas + i),
        baselineInstances: expected.baselineInstances,
        regression: expected.regression,
      });
      expect(expected.baselineInstances.length).toBeGreaterThanOrEqual(replicas - 1);
      figures.restarts.push({
        instance: member.name,
        entries: recorded.length,
        wallMs: baseline.wallMs,
        baselineMs: baseline.baselineMs,
        changePercent: baseline.changePercent,
        regression: baseline.regression,
        baselineInstances: baseline.baselineInstances.length,
      });
      if (slow) {
        member.postgres.latency(0);
        member.redis.latency(0);
      }
    }
    const history = await entries();
    expect(history.map((e) => e.instance)).toEqual([
      ...history.slice(0, replicas).map((e) => e.instance),
      ...members.map((m) => m.name),
    ]);
    // The instance made slow is flagged against the fleet baseline, far above every ordinary restart. The ordinary
    // restarts (50-550 ms each) are not held to the baseline one by one: on a shared 2-core machine under load
    // (load average 7-10) their changes ranged from -65 % to +305 % over five runs, and the table in
    // docs/reliability.md shows the flags as they were. The slow start stayed 15 times above the slowest of them.
    const seen = JSON.stringify(figures.restarts);
    const slow = figures.restarts.at(-1)!;
    expect(slow.regression, seen).toBe(true);
    expect(slow.changePercent, seen).toBeGreaterThan(100);
    for (const ordinary of figures.restarts.slice(0, -1)) {
      expect(ordinary.wallMs * slowFactor, seen).toBeLessThan(slow.wallMs);
    }
  }, 120_000);

  it('stays live through a 20 s PostgreSQL outage of the whole fleet and recovers by itself', async () => {
    const readyStates: Record<string, string[]> = Object.fromEntries(members.map((m) => [m.name, []]));
    let liveFailures = 0;
    const attemptsAt = () => members.reduce((n, m) => n + m.postgres.accepted, 0);
    const perSecond: { atMs: number; attempts: number }[] = [];
    let last = attemptsAt();
    const began = Date.now();
    const sampler = setInterval(() => {
      const now = attemptsAt();
      perSecond.push({ atMs: Date.now() - began, attempts: now - last });
      last = now;
    }, 1_000);
    // Before the outage every instance is ready.
    for (const m of members) expect((await m.app!.request('/health/ready')).status).toBe(200);
    for (const states of Object.values(readyStates)) states.push('200');
    let polling = true;
    // Each instance probed twice a second, as a readiness probe would.
    const probes = members.map(async (m) => {
      while (polling) {
        const [live, ready] = await Promise.all(
          ['/health/live', '/health/ready'].map((path) =>
            m.app!.request(path, { signal: AbortSignal.timeout(7_000) }).then(
              (r) => r.status,
              () => 0,
            ),
          ),
        );
        if (live !== 200) liveFailures++;
        const states = readyStates[m.name]!;
        const state = `${ready}`;
        if (states.at(-1) !== state) states.push(state);
        await delay(500);
      }
    });
    for (const m of members) m.postgres.blackhole();
    await delay(outageMs);
    for (const m of members) m.postgres.forward();
    const forwardedAt = Date.now();
    // Recovered: readiness answers 200 four times in a row (2 s). Queries sent into the blackhole hold their
    // pool slots until the client-side query timeout (statement timeout + 5 s, 35 s by default) ends them.
    const recoveredAfterMs = await Promise.all(
      members.map(async (m) => {
        for (let ok = 0; ok < 4; ) {
          if (Date.now() - forwardedAt > recoveryBoundMs) return Number.POSITIVE_INFINITY;
          const status = await m.app!.request('/health/ready', { signal: AbortSignal.timeout(7_000) }).then(
            (r) => r.status,
            () => 0,
          );
          ok = status === 200 ? ok + 1 : 0;
          await delay(500);
        }
        return Date.now() - forwardedAt - 1_500;
      }),
    );
    // A few more seconds of the recovery's load at the proxies.
    await delay(3_000);
    clearInterval(sampler);
    polling = false;
    await Promise.all(probes);

    const policy = retryPolicy({ maxElapsedMs: Number.POSITIVE_INFINITY });
    const predicted = simulateHerd(policy, { replicas, outageMs, bucketMs: 1_000 });
    const outageEnd = forwardedAt - began;
    const outage: Outage = {
      liveFailures,
      readyStates,
      recoveredAfterMs,
      perSecondDuring: perSecond.filter((s) => s.atMs <= outageEnd).map((s) => s.attempts),
      perSecondRecovery: perSecond.filter((s) => s.atMs > outageEnd).map((s) => s.attempts),
      predictedPeakPerSecond: predicted.peakAtRecovery,
      predictedMeanPerSecond: predicted.attempts / (outageMs / 1_000),
    };
    figures.outage = outage;
    for (const m of members) expect(m.app!.child.exitCode).toBeNull();
    expect(liveFailures).toBe(0);
    // Readiness as documented: 503 once the required postgres check fails, 200 again after the outage.
    const seen = JSON.stringify({ readyStates, recoveredAfterMs, perSecond });
    for (const states of Object.values(readyStates)) {
      expect(states[0], seen).toBe('200');
      expect(states, seen).toContain('503');
      expect(states.at(-1), seen).toBe('200');
    }
    expect(Math.max(...recoveredAfterMs)).toBeLessThan(recoveryBoundMs);
    // Beside the P6 simulation (every replica retrying with core's default policy, 150 ms ×1.1 capped at 1 s): the
    // sample retries no connection on a timer, its pools connect when a health check asks, and the breaker holds
    // most checks back. Measured in five runs: 0.9 attempts a second during the outage (peak 9-10), a ninth of the
    // simulated 8.3, and no new connection at recovery (the idle ones answer again). Held to a sixth of the
    // simulated rate (1.4) and to the simulated peak.
    const rates = JSON.stringify({ ...outage, readyStates: undefined });
    expect(mean(outage.perSecondDuring), rates).toBeLessThanOrEqual(outage.predictedMeanPerSecond / 6);
    expect(peak(outage.perSecondRecovery), rates).toBeLessThanOrEqual(outage.predictedPeakPerSecond);
  }, 120_000);

  it('stops every instance with status 0 right after the outage, leaving no connection on the servers nor at the proxies', async () => {
    // Queries sent into the blackhole still hold pool connections until their query timeout (35 s): the close
    // destroys them once its grace (5 s) is over, well inside SHUTDOWN_TIMEOUT_MS (10 s).
    figures.stops = await Promise.all(
      members.map(async (m): Promise<Stop> => {
        const began = performance.now();
        const exitCode = await m.app!.stop();
        const destroyed = m
          .app!.logs()
          .filter((line) => line.msg === 'connections still busy after the close grace: destroyed')
          .reduce((n, line) => n + Number(line.open ?? 0), 0);
        return { exitCode, tookMs: performance.now() - began, destroyed };
      }),
    );
    expect(figures.stops.map((s) => s.exitCode)).toEqual(members.map(() => 0));
    expect(
      await settle(
        () => observer.postgres(service),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect(
      await settle(
        () => observer.redis(service),
        (n) => n === 0,
      ),
    ).toBe(0);
    for (const m of members) expect([m.postgres.connections, m.redis.connections]).toEqual([0, 0]);
    await recordSection('fleet', fleetSection());
  }, 30_000);
});

function fleetSection(): string {
  const ms = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)}`);
  const lines = [
    `Generated by \`packages/reliability/test/fleet.int.test.ts\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| Restart | Instance | Starts in history | Start (ms) | Fleet baseline (ms) | Change | Regression |',
    '| ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...figures.restarts.map(
      (r, i) =>
        `| ${i + 1} | ${i === replicas - 1 ? `instance ${i + 1} (+${slowLatencyMs} ms a chunk)` : `instance ${i + 1}`} | ${r.entries} | ${ms(r.wallMs)} | ${ms(r.baselineMs)} (${r.baselineInstances} instances) | ${r.changePercent === undefined ? '–' : `${r.changePercent >= 0 ? '+' : ''}${Math.round(r.changePercent)} %`} | ${r.regression ? 'yes' : 'no'} |`,
    ),
  ];
  const o = figures.outage;
  if (o) {
    lines.push(
      '',
      `PostgreSQL blackholed at every proxy for ${outageMs / 1000} s, then forwarded again:`,
      '',
      '| Figure | Measured | P6 simulation, 5 replicas |',
      '| --- | ---: | ---: |',
      `| connection attempts / s at the proxies during the outage (peak, mean) | ${peak(o.perSecondDuring)}, ${mean(o.perSecondDuring).toFixed(1)} | ${o.predictedMeanPerSecond.toFixed(1)} (mean) |`,
      `| connection attempts / s at the proxies during recovery (peak, mean) | ${peak(o.perSecondRecovery)}, ${mean(o.perSecondRecovery).toFixed(1)} | ${o.predictedPeakPerSecond} (peak) |`,
      `| ready again after the outage, slowest instance (ms) | ${ms(Math.max(...o.recoveredAfterMs))} | – |`,
      `| liveness answers other than 200 | ${o.liveFailures} | – |`,
      '',
      `The five stops right after (SIGTERM): exit status ${figures.stops?.map((s) => s.exitCode).join(', ') ?? '–'}; SIGTERM to exit ${figures.stops?.map((s) => ms(s.tookMs)).join(', ') ?? '–'} ms; PostgreSQL connections destroyed by the close once its grace was over, per instance: ${figures.stops?.map((s) => s.destroyed).join(', ') ?? '–'}.`,
      '',
      `Readiness seen by each instance's probe: ${[...new Set(Object.values(o.readyStates).map((s) => s.join(' → ')))].join('; ')}.`,
    );
  }
  return lines.join('\n');
}

/** The largest of `values`, 0 for none. */
function peak(values: number[]): number {
  return Math.max(0, ...values);
}

/** The mean of `values`, 0 for none. */
function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}
