import { num, ratio, spread, verdict } from '../format.js';
import type { RunOptions } from '../run-options.js';
import { type RunnerContender, runnerContenders, type Timing } from '../runner/contenders.js';
import { type GraphNode, graphCriticalPath, graphLevels, randomGraph } from '../runner/random-graph.js';
import type { Section, Table } from '../section.js';
import { summarize } from '../statistics.js';

const ours = 'ours (createStartup)';
const limit = 'Promise.all (hand-written graph)';
/** The spec's 20 / 15 / 25 s profile, scaled to milliseconds × 10. */
const profile: GraphNode[] = [
  { name: 'postgres', deps: [], delayMs: 200 },
  { name: 'redis', deps: [], delayMs: 150 },
  { name: 'nats', deps: [], delayMs: 250 },
];

/** P1: the runner's own cost on synthetic plugins with known delays, vs Promise.all, avvio and a loop. */
export async function runnerOverheadMeasure(options: RunOptions): Promise<Section> {
  const quick = options.quick;
  const dag = randomGraph({ size: 1000 });
  const instant = dag.map((node) => ({ ...node, delayMs: 0 }));
  const small = await measure(profile, quick ? 5 : 20, quick ? 3 : 10);
  const large = await measure(dag, quick ? 3 : 8, quick ? 1 : 3);
  const bare = await measure(instant, quick ? 5 : 20, quick ? 5 : 20);
  const cp3 = graphCriticalPath(profile);
  const cp = graphCriticalPath(dag);
  const levels = graphLevels(dag).length;

  const addedSmall = summarize(small.added);
  const smallRatio = summarize(small.walls.get(ours)!).median / cp3.ms;
  const addedLarge = summarize(large.added);
  const addedBare = summarize(bare.added);
  const smallMet = smallRatio <= 1.01 && addedSmall.median < 1;
  const largeMet = addedLarge.median <= 10;
  const addedLargeCpu = summarize(large.addedCpu);
  const avvioNote =
    "avvio loses on wall time by design, not by overhead: it loads plugins one after another in registration order (each may decorate the instance the next one sees, Fastify's encapsulation model), so independent plugins never overlap; its wall time is the sum of the delays, like the sequential loop.";
  return {
    title: 'P1 runner overhead',
    goal: 'wall ÷ critical path ≤ 1.01 and < 1 ms added for 3 plugins; ≤ 10 ms added wall time for 1,000 (CPU time reported beside it)',
    method: `Synthetic plugins whose \`init\` waits a known delay (\`timers/promises\` setTimeout). Three independent plugins of 200 / 150 / 250 ms (the origin's 20 / 15 / 25 s profile scaled); a seeded random graph of 1,000 plugins (0–3 dependencies each on earlier plugins, 1–5 ms each; critical path ${num(cp.ms, 0)} ms through ${cp.plugins} plugins, ${levels} levels; sum of delays ${num(
      dag.reduce((s, n) => s + n.delayMs, 0),
      0,
    )} ms); the same graph with no delay (pure runner cost). Wall time from creating the runner to all ready (ours includes \`createStartup\`'s validation), and the process's CPU time over the same span (user + system, all threads: unlike wall time it barely moves when the shared machine is busy); rounds run every contender in turn; "added" is ours minus the hand-written promise graph in the same round (median of the per-round differences). Repetitions: 3 plugins ${small.rounds} (sequential ones ${small.slowRounds}), 1,000 plugins ${large.rounds} (${large.slowRounds}), no delay ${bare.rounds}.`,
    summary: `3 plugins: ×${num(smallRatio, 3)} the critical path, +${num(addedSmall.median, 2)} ms (${verdict(smallMet)}); 1,000 plugins: +${num(addedLarge.median, 1)} ms wall, +${num(addedLargeCpu.median, 1)} ms CPU (${verdict(largeMet)})`,
    tables: [
      table('3 plugins, 200 / 150 / 250 ms (critical path 250 ms)', small, cp3.ms),
      table(`1,000 plugins, random graph (critical path ${num(cp.ms, 0)} ms)`, large, cp.ms),
      table('1,000 plugins, no delay (the runner alone)', bare, undefined),
      {
        caption: 'Added by our runner over the hand-written promise graph (per-round difference)',
        header: ['workload', 'added wall time', 'added CPU time', 'goal (on wall time)'],
        rows: [
          [
            '3 plugins',
            spread(addedSmall, 2, ' ms'),
            spread(summarize(small.addedCpu), 2, ' ms'),
            `< 1 ms and ≤ ×1.01: ${verdict(smallMet)}`,
          ],
          [
            '1,000 plugins, random graph',
            spread(addedLarge, 1, ' ms'),
            spread(addedLargeCpu, 1, ' ms'),
            `≤ 10 ms: ${verdict(largeMet)}`,
          ],
          [
            '1,000 plugins, no delay',
            spread(addedBare, 1, ' ms'),
            spread(summarize(bare.addedCpu), 1, ' ms'),
            '–',
          ],
        ],
      },
    ],
    notes: [
      `Against the critical path even the hand-written promise graph is above ×1.00: each timer fires a little late (≈ 1 ms on Linux), and on the 1,000-plugin graph those delays add up along the ${cp.plugins}-plugin chain. "Added" is therefore measured against that graph, in the same round. The level-by-level \`Promise.all\` (a common hand-written start) waits for the slowest plugin of each level before the next one, which is why ours and the promise graph beat it.`,
      avvioNote,
      `What our runner does per plugin that the promise graph does not: validates its options, keeps a slot and a report entry, and per attempt a context, an attempt-timeout timer (10 s by default) and events; the "no delay" rows are that cost alone for 1,000 plugins: ${spread(summarize(bare.addedCpu), 1, ' ms')} more CPU than the promise graph. The CPU time counts every thread, garbage collection's included: garbage is what this cost mostly was (a V8 CPU profile put 38 % of it in the collector). What core does not make any more: a hidden class per plugin name in \`app.resources\` and each \`ctx.deps\` (built as hash tables, ~1.7 MB and several ms per start of 1,000), an object literal with a getter per slot and per call context (about 1 µs each to create: slots are plain literals whose breaker is made on first use, call contexts class instances), a settings object per plugin that sets none of its own, per-plugin loggers when logging is silent; the attempt's AbortController is made only when a plugin reads \`ctx.signal\`.${largeMet ? '' : ' What remains is mostly the per-attempt promises, closures and event payloads of the runner itself.'}`,
      'Wall times of CPU-bound runs vary a lot on this shared 2-core machine (see min–max): a run descheduled for a few milliseconds looks slower; the CPU-time columns are the steadier view of the same cost.',
    ],
  };
}

interface Measured {
  walls: Map<string, number[]>;
  cpu: Map<string, number[]>;
  added: number[];
  addedCpu: number[];
  rounds: number;
  slowRounds: number;
}

async function measure(nodes: readonly GraphNode[], rounds: number, slowRounds: number): Promise<Measured> {
  const walls = new Map<string, number[]>(runnerContenders.map((c) => [c.name, []]));
  const cpu = new Map<string, number[]>(runnerContenders.map((c) => [c.name, []]));
  const added: number[] = [];
  const addedCpu: number[] = [];
  const inRound = new Map<string, Timing>();
  // A warm-up round: the first run of each pays for compiling its code.
  for (const contender of runnerContenders) if (contender.parallel) await contender.start(nodes);
  for (let round = 0; round < rounds; round++) {
    for (const contender of runnerContenders) {
      if (!contender.parallel && round >= slowRounds) continue;
      const timing = await contender.start(nodes);
      inRound.set(contender.name, timing);
      walls.get(contender.name)!.push(timing.wallMs);
      cpu.get(contender.name)!.push(timing.cpuMs);
    }
    added.push(inRound.get(ours)!.wallMs - inRound.get(limit)!.wallMs);
    addedCpu.push(inRound.get(ours)!.cpuMs - inRound.get(limit)!.cpuMs);
  }
  return { walls, cpu, added, addedCpu, rounds, slowRounds };
}

function table(caption: string, measured: Measured, criticalMs: number | undefined): Table {
  const reference = summarize(measured.walls.get(limit)!).median;
  return {
    caption,
    header: ['runner', 'wall', '÷ critical path', '÷ hand-written graph', 'CPU time'],
    rows: runnerContenders.map((c: RunnerContender) => {
      const s = summarize(measured.walls.get(c.name)!);
      const cpu = summarize(measured.cpu.get(c.name)!);
      return [
        c.name,
        spread(s, s.median < 10 ? 2 : 1, ' ms'),
        criticalMs === undefined ? '–' : ratio(s.median / criticalMs, 3),
        ratio(s.median / reference, 2),
        spread(cpu, cpu.median < 10 ? 2 : 1, ' ms'),
      ];
    }),
  };
}
