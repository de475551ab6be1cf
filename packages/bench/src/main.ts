import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from './child-processes.js';
import { mergeSections, renderDocument } from './document.js';
import { describeMachine } from './machine.js';
import { coldStartMeasure } from './measures/cold-start.js';
import { footprintMeasure } from './measures/footprint.js';
import { healthLoadMeasure } from './measures/health-load.js';
import { herdMeasure } from './measures/herd.js';
import { lateDependencyMeasure } from './measures/late-dependency.js';
import { realStartMeasure } from './measures/real-start.js';
import { redactionMeasure } from './measures/redaction.js';
import { resilienceOverheadMeasure } from './measures/resilience-overhead.js';
import { runnerOverheadMeasure } from './measures/runner-overhead.js';
import { parseRunOptions, type RunOptions } from './run-options.js';
import type { Section } from './section.js';

interface Measure {
  id: string;
  run: (options: RunOptions) => Promise<Section>;
}

// Run order: cheap and CPU-bound first, the sample app (P2's spawn part, P5, P9) last. The document lists P1–P9.
const measures: Measure[] = [
  { id: 'P7', run: footprintMeasure },
  { id: 'P6', run: herdMeasure },
  { id: 'P4', run: resilienceOverheadMeasure },
  { id: 'P8', run: redactionMeasure },
  { id: 'P1', run: runnerOverheadMeasure },
  { id: 'P3', run: lateDependencyMeasure },
  { id: 'P2', run: realStartMeasure },
  { id: 'P5', run: healthLoadMeasure },
  { id: 'P9', run: coldStartMeasure },
];

const defaultDocument = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

async function main(): Promise<number> {
  const options = parseRunOptions(process.argv.slice(2));
  const core = import.meta.resolve('@startup/core');
  if (!core.endsWith('/dist/index.js')) {
    throw new Error(`@startup/core resolves to ${core}, not its built output: run through bin/bench.mjs`);
  }
  const budgetMs = options.quick ? 5 * 60_000 : 20 * 60_000;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${budgetMs / 60_000} min; giving up`);
    killAll();
    process.exit(1);
  }, budgetMs);
  watchdog.unref();
  const startedAt = new Date();
  const began = performance.now();
  const machine = describeMachine();
  const sections: Section[] = [];
  let failed = 0;
  for (const measure of measures) {
    if (options.only.length > 0 && !options.only.includes(measure.id)) continue;
    const t0 = performance.now();
    console.error(`bench: ${measure.id}…`);
    let section: Section;
    try {
      section = await measure.run(options);
    } catch (error) {
      failed++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`bench: ${measure.id} failed: ${message}`);
      section = {
        title: measure.id,
        goal: '–',
        method: '–',
        summary: '',
        tables: [],
        notes: [],
        error: error instanceof Error ? error.message : String(error),
      };
    }
    section.tookMs = performance.now() - t0;
    console.error(`bench: ${measure.id} done in ${(section.tookMs / 1000).toFixed(1)} s`);
    sections.push(section);
  }
  sections.sort((a, b) => a.title.localeCompare(b.title));
  const run = { machine, options, startedAt, tookMs: performance.now() - began, sections };
  const document = renderDocument(run);
  const out = options.out ?? (options.quick ? undefined : defaultDocument);
  if (out) {
    // `--only` into the project's document rewrites those sections in place; the others stay as measured.
    const partial = options.only.length > 0 && out === defaultDocument && existsSync(out);
    writeFileSync(out, partial ? mergeSections(readFileSync(out, 'utf8'), run) : document);
    formatMarkdown(out);
    console.error(`bench: wrote ${out}`);
  }
  process.stdout.write(document);
  console.error(`bench: finished in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  return failed > 0 ? 1 : 0;
}

/** The repository's formatter lays the tables out (aligned columns), so `pnpm lint` passes on the document. */
function formatMarkdown(file: string): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const path = resolve(file);
  // Outside the repository there is no lint to satisfy (and biome refuses such paths).
  if (!path.startsWith(root)) return;
  const biome = `${root}node_modules/.bin/biome`;
  const result = spawnSync(biome, ['format', '--write', path], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) console.error(`bench: could not format ${file}: ${result.stderr || result.error}`);
}

main().then(
  (code) => {
    killAll();
    // Peers keep timers of their own (opossum's rolling window); the figures are written: leave now.
    process.exit(code);
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    killAll();
    process.exit(1);
  },
);
