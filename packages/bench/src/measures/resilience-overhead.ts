import { retryPolicy } from '@startup/core/plugin-kit';
import { Bench } from 'tinybench';
import { num, ratio, spread, verdict } from '../format.js';
import { batch, failureContenders, successContenders } from '../resilience/contenders.js';
import type { RunOptions } from '../run-options.js';
import type { Section } from '../section.js';
import { summarize } from '../statistics.js';

const failureCounts = [1_000, 10_000, 20_000] as const;

/** P4: per-call cost of our breaker, retry and both vs cockatiel and opossum; failure cost as failures grow. */
export async function resilienceOverheadMeasure(options: RunOptions): Promise<Section> {
  const rounds = options.quick ? 2 : 7;
  const success = await successPath(rounds, options.quick ? 150 : 400);
  const failure = await failurePath(options.quick ? 2 : 5);

  const median = (name: string) => summarize(success.get(name)!).median;
  const floor = median('bare call (floor)');
  const batchFloor = median(`${batch} bare calls at once (floor)`);
  // Net of the floor (a batch row: of the batch's floor), in milliseconds, never below 1 ns so ratios stay finite.
  const net = (name: string) =>
    Math.max(median(name) - (name.includes(' at once') ? batchFloor : floor), 1e-6);
  const pairs = [
    ['breaker', 'ours: breaker', 'cockatiel: breaker', 'opossum: breaker (defaults: 10 s timeout per call)'],
    ['retry, options in the call', 'ours: retry(fn, { maxAttempts: 3 })', 'cockatiel: retry', undefined],
    ['retry, built once', 'ours: createRetry({ maxAttempts: 3 }), built once', 'cockatiel: retry', undefined],
    [
      'retry + breaker, options in the call',
      'ours: retry(() => breaker.execute(fn), { maxAttempts: 3 })',
      'cockatiel: retry + breaker',
      undefined,
    ],
    [
      'retry + breaker, built once',
      'ours: createRetry({ maxAttempts: 3, breaker }), built once',
      'cockatiel: retry + breaker',
      undefined,
    ],
    ['bulkhead', 'ours: bulkhead', 'cockatiel: bulkhead', undefined],
    [
      `bulkhead, ${batch} at once through 4 (per batch)`,
      `ours: bulkhead, ${batch} at once through 4`,
      `cockatiel: bulkhead, ${batch} at once through 4`,
      undefined,
    ],
  ] as const;
  const versus = pairs.map(([what, ours, cockatiel, opossum]) => [
    what,
    ratio(net(ours) / net(cockatiel)),
    opossum ? ratio(net(opossum) / net(ours), 1) : '–',
    opossum ? ratio(net('opossum: breaker (timeout: false)') / net(ours), 1) : '–',
  ]);
  const cockatielMet = pairs.every(([, ours, cockatiel]) => net(ours) <= net(cockatiel));
  const opossumMet = net('opossum: breaker (defaults: 10 s timeout per call)') / net('ours: breaker') >= 5;
  const flatness = failureContenders.map((c) => {
    const at = failureCounts.map((n) => summarize(failure.get(`${c.name}@${n}`)!).median);
    return { name: c.name, growth: at[2]! / at[0]! };
  });
  // Flat: within ×2 while the failures grow ×20 (1,000-call blocks are noisy on a shared machine).
  const oursFlat = flatness.filter((f) => f.name.startsWith('ours')).every((f) => f.growth <= 2);
  const losses = pairs.filter(([, ours, cockatiel]) => net(ours) > net(cockatiel));
  return {
    title: 'P4 resilience overhead',
    goal: '≤ cockatiel, ≥ 5 × faster than opossum, failure cost flat',
    method: `Success path: tinybench 6, every task an \`async () => 1\` through the policy (ours called as users call it: the options written in the call, or built once with \`createRetry\`; cockatiel's built once, as its API requires: \`retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() })\`, wrapped around its breaker for "retry + breaker"), ${rounds} rounds of ${options.quick ? 150 : 400} ms per task, mean per call in each round; "net" subtracts the bare call (the floor: the await itself and tinybench's timing). Bulkheads: a limit of 10 for one call at a time (never queued), and ${batch} calls at once through 4 places (12 queue; per batch, net of ${batch} bare calls at once). Failure path: one fresh policy (after a throwaway one warmed the JIT) takes 20,000 sequential calls that reject (the same Error object each time, so only the policy's own cost is timed); ns per call over the 1,000 calls ending at the 1,000th, 10,000th and 20,000th failure, i.e. the cost of a failure once that many came before ("flat": the 20k cost within ×2 of the 1k cost while the failures grow ×20); median of ${options.quick ? 2 : 5} repetitions (opossum kept closed: one, it takes too long).`,
    summary: `vs cockatiel ${verdict(cockatielMet)}, ≥ 5 × opossum ${verdict(opossumMet)}, failure cost flat ${verdict(oursFlat)}`,
    tables: [
      {
        caption: 'Success path, per call',
        header: ['policy', 'ns / call', 'net of the floor'],
        rows: [...success.keys()].map((name) => [
          name,
          spread(scaled(success.get(name)!), 0),
          name.includes('(floor)') ? '–' : `${num(net(name) * 1e6, 0)} ns`,
        ]),
      },
      {
        caption: 'Side by side (net ns; < ×1 means ours is cheaper)',
        header: ['', 'ours ÷ cockatiel', 'opossum (defaults) ÷ ours', 'opossum (timeout: false) ÷ ours'],
        rows: versus,
      },
      {
        caption: 'Failure path, ns per failed call once N failures came before',
        header: ['policy', ...failureCounts.map((n) => `${num(n / 1000, 0)}k`), '20k ÷ 1k'],
        rows: failureContenders.map((c) => [
          c.name,
          ...failureCounts.map((n) => spread(summarize(failure.get(`${c.name}@${n}`)!), 0)),
          ratio(flatness.find((f) => f.name === c.name)!.growth),
        ]),
      },
    ],
    notes: [
      `vs cockatiel: ${verdict(cockatielMet)}; opossum (defaults) ÷ ours on the breaker: ${ratio(net('opossum: breaker (defaults: 10 s timeout per call)') / net('ours: breaker'), 1)} (${verdict(opossumMet)}); our failure cost from 1k to 20k failures: ${verdict(oursFlat)}.`,
      ...lossNotes(
        losses.map(([what]) => what),
        net,
      ),
      'Opossum is slower by design: every `fire()` arms a timeout timer (10 s by default), emits events for its rolling statistics and goes through its semaphore; with `timeout: false` the timer is gone but the statistics remain. Its failure cost grows with the failures when the circuit stays closed: each failure reads `stats`, which concatenates and sorts every latency of the 10 s rolling window (percentiles are on by default). Once open, every library builds an Error per refused call; that cost, not the bookkeeping, dominates the "opens" rows.',
    ],
  };
}

/** Why we lose where we do; `net` gives the net cost in milliseconds of a row of the success table. */
function lossNotes(losses: readonly string[], net: (name: string) => number): string[] {
  const ns = (name: string) => `${num(net(name) * 1e6, 0)} ns`;
  const notes: string[] = [];
  if (losses.includes('breaker')) {
    notes.push(
      `Our breaker costs more than cockatiel's here (${ns('ours: breaker')} vs ${ns('cockatiel: breaker')} net; compare the min–max, this machine is shared). Our \`execute\` is an \`async\` function that reads the injected clock (\`performance.now()\`) on every call, because an OPEN state moves to HALF_OPEN without any timer, and checks an epoch so a call admitted before a transition does not count after it.`,
    );
  }
  if (losses.some((what) => what.startsWith('retry'))) {
    notes.push(
      `Our retry costs more than cockatiel's in at least one row here (compare the min–max, this machine is shared). \`retry(fn, options)\` remembers the last options it validated and checks new ones against them field by field and key by key (validating them again costs ${ns('└ retryPolicy({ maxAttempts: 3 }) alone')}); \`createRetry\` validates once. Both read the clock once per call (\`maxElapsedMs\` counts from the first attempt) and run the first attempt with no other allocation than its \`{ attempt, signal }\`, the handler of its failure and the promise chained to it.`,
    );
  }
  return notes;
}

/** Per-call means in milliseconds, one per round, for every success contender. */
async function successPath(rounds: number, timeMs: number): Promise<Map<string, number[]>> {
  const results = new Map<string, number[]>(successContenders.map((c) => [c.name, []]));
  // What validating retry options costs, timed alone (synchronous, with the same tinybench floor): paid once.
  const parts: [string, () => void][] = [
    ['└ retryPolicy({ maxAttempts: 3 }) alone', () => void retryPolicy({ maxAttempts: 3 })],
  ];
  for (const [name] of parts) results.set(name, []);
  const work = async () => 1;
  for (let round = 0; round < rounds; round++) {
    const made = successContenders.map((c) => ({ contender: c, ...c.make(work) }));
    const bench = new Bench({ time: timeMs, warmupTime: 50, throws: true });
    for (const { contender, call } of made) bench.add(contender.name, call);
    for (const [name, fn] of parts) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed')
        throw new Error(`tinybench task "${task.name}" ended ${result.state}`);
      results.get(task.name)!.push(result.period);
    }
    for (const { dispose } of made) dispose();
  }
  return results;
}

/**
 * Nanoseconds per failed call in the block of 1,000 calls ending at each of {@link failureCounts}, on one
 * policy instance that has seen every failure before: the marginal cost after N failures. Keyed `name@count`.
 */
async function failurePath(repetitions: number): Promise<Map<string, number[]>> {
  const results = new Map<string, number[]>();
  const boom = new Error('backend down');
  const failing = () => Promise.reject(boom);
  for (let r = 0; r < repetitions; r++) {
    for (const contender of failureContenders) {
      if (contender.once && r > 0) continue;
      // A throwaway instance first, so the first block measured is not the one paying for the JIT.
      const warm = contender.make(failing);
      for (let i = 0; i < 2_000; i++) await warm.call().catch(() => {});
      warm.dispose();
      const { call, dispose } = contender.make(failing);
      const last = failureCounts[failureCounts.length - 1]!;
      let began = performance.now();
      for (let i = 1; i <= last; i++) {
        try {
          await call();
        } catch {}
        if (i % block === 0) {
          const ns = ((performance.now() - began) * 1e6) / block;
          if ((failureCounts as readonly number[]).includes(i)) {
            const key = `${contender.name}@${i}`;
            results.set(key, [...(results.get(key) ?? []), ns]);
          }
          began = performance.now();
        }
      }
      dispose();
    }
  }
  return results;
}

const block = 1_000;

function scaled(msPerCall: readonly number[]) {
  return summarize(msPerCall.map((ms) => ms * 1e6));
}
