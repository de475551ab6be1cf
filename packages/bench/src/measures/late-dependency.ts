import { num, verdict } from '../format.js';
import { type Connector, type LateContender, lateContenders } from '../late-dependency/contenders.js';
import { runTrial, type TrialResult } from '../late-dependency/trial.js';
import type { RunOptions } from '../run-options.js';
import type { Section } from '../section.js';
import { seededRandom } from '../seeded-random.js';
import { unreachableServers } from '../servers.js';
import { percentile } from '../statistics.js';

const connectors: Connector[] = ['postgres', 'redis', 'nats'];
const concurrency = 8;
const timeoutMs = 20_000;

interface Planned {
  connector: Connector;
  contender: LateContender;
  acceptAfterMs: number;
  results: TrialResult[];
}

/** P3: a dependency that starts accepting 1–3 s late, through the fault proxy; ours vs cockatiel vs the client. */
export async function lateDependencyMeasure(options: RunOptions): Promise<Section> {
  const down = await unreachableServers();
  if (down.length > 0) {
    return {
      title: 'P3 late dependency',
      goal: goal,
      method: '–',
      summary: '',
      tables: [],
      notes: [],
      skipped: `servers not reachable: ${down.join(', ')}`,
    };
  }
  const trials = options.quick ? 4 : 30;
  // Every contender gets the same accept delays, in the same order: a paired comparison.
  const random = seededRandom(3);
  const delays = Array.from({ length: trials }, () => 1000 + random() * 2000);
  const groups = connectors.flatMap((connector) =>
    lateContenders(connector).map((contender) => ({ connector, contender, results: [] as TrialResult[] })),
  );
  const plan: Planned[] = [];
  for (let i = 0; i < trials; i++) {
    for (const group of groups) {
      if (group.contender.failsAtOnce && i > 0) continue;
      plan.push({ ...group, acceptAfterMs: delays[i]! });
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const item = plan[next++]!;
      item.results.push(await runTrial(item.connector, item.contender, item.acceptAfterMs, timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  let oursMet = true;
  let recommendedMet = true;
  const rows = groups.map(({ connector, contender, results }) => {
    const waits = results.flatMap((r) => (r.readyAfterAcceptMs === undefined ? [] : [r.readyAfterAcceptMs]));
    const peak = Math.max(0, ...results.map((r) => r.peakPerSecond));
    const failures = [...new Set(results.flatMap((r) => (r.failure ? [r.failure] : [])))];
    const p50 = percentile(waits, 50);
    const p95 = percentile(waits, 95);
    const met = waits.length === results.length && p50 <= 250 && p95 <= 500 && peak <= 10;
    if (contender.ours && contender.name.includes('current default')) oursMet &&= met;
    if (contender.ours && contender.name.includes('recommended')) recommendedMet &&= met;
    return [
      connector,
      contender.name,
      `${waits.length} / ${results.length}`,
      waits.length > 0 ? `${num(p50, 0)} ms` : '–',
      waits.length > 0 ? `${num(p95, 0)} ms` : '–',
      waits.length > 0 ? `${num(Math.max(...waits), 0)} ms` : '–',
      num(
        percentile(
          results.map((r) => r.attempts),
          50,
        ),
        0,
      ),
      String(peak),
      [
        contender.ours ? (met ? '✅' : '❌') : '',
        failures.length > 0 ? `${results.length - waits.length} not ready: ${failures.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join(' ') || '–',
    ];
  });
  return {
    title: 'P3 late dependency',
    goal,
    method: `A fault proxy (@startup/fault-proxy) in front of the real server refuses connections (ECONNREFUSED) from the start, then accepts after a delay drawn uniformly in 1–3 s (seeded; the same ${trials} delays for every row). "Accept → ready" runs from the proxy listening again to the start resolving, so it includes the real connection work (PostgreSQL: connect, verify, warm 2; Redis: connect, PING; NATS: connect, PING, JetStream account info). Attempts are TCP connection attempts to the dependency (counted on \`net.Socket.prototype.connect\`, since a refused one never reaches any server) up to the one that got through. cockatiel retries the same hand-written attempt as P2 with \`new ExponentialBackoff()\`'s defaults (decorrelated jitter from 128 ms, cap 30 s; cockatiel's \`retry()\` without a backoff retries at once). ${concurrency} trials run at a time, each with its own proxy; a trial gives up after ${timeoutMs / 1000} s.`,
    summary: `current default ${verdict(oursMet)}; recommended default ${verdict(recommendedMet)}`,
    tables: [
      {
        caption: `Late dependency, ${trials} trials per row`,
        header: [
          'dependency',
          'waiting with',
          'ready',
          'accept → ready p50',
          'p95',
          'max',
          'attempts (median)',
          'most attempts in 1 s',
          'goal / outcome',
        ],
        rows,
      },
    ],
    notes: [
      `Our current default: ${verdict(oursMet)}; the recommended default (see P6): ${verdict(recommendedMet)}.${oursMet ? '' : " With today's 500 ms cap, attempts are 250–750 ms apart by the time the dependency comes up: it waits on average for more than half such a gap, then for the connection work; P6 simulates the same wait over 10,000 starts."}`,
      "pg and nats.js (by default) give up at the first refused connection: a start with either needs a retry around it. ioredis retries on its own, but its delay grows by 50 ms per attempt up to 2 s, so a dependency that comes up 1–3 s late is found up to ~0.5 s later; nats.js with `waitOnFirstConnect` waits 2 s between attempts. cockatiel's default backoff (decorrelated, doubling from 128 ms) has grown to seconds by the time the dependency is up, hence its wait; it is a good policy for a long outage, not for a start.",
    ],
  };
}

const goal =
  'at our default policy p50 ≤ 250 ms, p95 ≤ 500 ms from "accepting" to "ready", never more than 10 attempts/s per service';
