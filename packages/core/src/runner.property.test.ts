import { useFakeTime } from '@startup/test-kit/clock';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { AnyPlugin } from './plugin.js';
import { createStartup } from './runner.js';

useFakeTime();

/** A random DAG: plugin i may depend only on plugins with a smaller index, with random delays. */
const dag = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 1, max: 200 }), { minLength: n, maxLength: n }),
      fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: n, maxLength: n }),
    ),
  );

describe('runner on random dependency graphs', () => {
  it('starts each plugin exactly once, never before its dependencies, and as soon as they are ready', async () => {
    await fc.assert(
      fc.asyncProperty(dag, async ([delays, picks]) => {
        const deps = picks.map((p, i) => (i === 0 ? [] : [...new Set(p.map((x) => x % i))]));
        const inits = new Map<string, number>();
        const readyAt = new Map<string, number>();
        const plugins: AnyPlugin[] = delays.map((ms, i) => ({
          name: `p${i}`,
          dependsOn: deps[i]!.map((d) => `p${d}`),
          init: async () => {
            inits.set(`p${i}`, (inits.get(`p${i}`) ?? 0) + 1);
            for (const d of deps[i]!) expect(readyAt.has(`p${d}`)).toBe(true);
            await new Promise((r) => setTimeout(r, ms));
            readyAt.set(`p${i}`, performance.now());
            return i;
          },
        }));
        // Shuffle order: the runner must not rely on the list being topologically sorted.
        const shuffled = [...plugins].reverse();
        const app = createStartup(shuffled);
        const done = app.start();
        await vi.advanceTimersByTimeAsync(10_000);
        await done;
        expect([...inits.values()].every((c) => c === 1)).toBe(true);
        expect(inits.size).toBe(plugins.length);
        const report = app.report();
        // Earliest possible start of each plugin = max over deps of their earliest finish (the critical path).
        const finish: number[] = [];
        delays.forEach((ms, i) => {
          finish[i] = Math.max(0, ...deps[i]!.map((d) => finish[d]!)) + ms;
        });
        for (const p of report.plugins) {
          const i = Number(p.name.slice(1));
          expect(p.readyMs).toBe(finish[i]);
        }
        expect(report.wallMs).toBe(Math.max(...finish));
        expect(report.criticalPathEndMs).toBe(Math.max(...finish));
        expect(report.criticalPathMs).toBe(report.criticalPathEndMs);
      }),
      { numRuns: 60 },
    );
  });
});
