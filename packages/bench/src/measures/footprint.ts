import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { num, spread, verdict } from '../format.js';
import type { RunOptions } from '../run-options.js';
import type { Section } from '../section.js';
import { summarize } from '../statistics.js';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = fileURLToPath(new URL('../../../..', import.meta.url));
const modules = ['@startup/core', 'cockatiel', 'avvio', 'opossum'] as const;

/** P7: core's size and dependencies, and the cold import time of core vs its peers. */
export async function footprintMeasure(options: RunOptions): Promise<Section> {
  const size = await coreSize();
  const rounds = options.quick ? 5 : 20;
  const importMs = new Map<string, number[]>(modules.map((m) => [m, []]));
  const processMs = new Map<string, number[]>([
    ['(node alone)', []],
    ...modules.map((m) => [m, []] as [string, number[]]),
  ]);
  // Rounds interleave the modules so a busy moment of the shared machine hits them all alike.
  for (let round = 0; round < rounds; round++) {
    processMs.get('(node alone)')!.push((await coldImport(undefined)).processMs);
    for (const module of modules) {
      const { importMs: inside, processMs: whole } = await coldImport(module);
      importMs.get(module)!.push(inside);
      processMs.get(module)!.push(whole);
    }
  }
  const nodeAlone = summarize(processMs.get('(node alone)')!).median;
  const ours = summarize(importMs.get('@startup/core')!).median;
  const rows = modules.map((module) => {
    const inside = summarize(importMs.get(module)!);
    const whole = summarize(processMs.get(module)!);
    return [
      module,
      version(module),
      String(dependencyCount(module)),
      spread(inside, 2, ' ms'),
      `×${num(inside.median / ours, 2)}`,
      spread(whole, 1, ' ms'),
      `${num(whole.median - nodeAlone, 1)} ms`,
    ];
  });
  const app = size.entries[0]!;
  const sizeMet = app.minGzipKiB <= 10 && size.dependencies === 0;
  const importMet = ours <= 10;
  const slowerThanOurs = rows.filter(
    (r) => r[0] !== '@startup/core' && Number.parseFloat(r[4]!.slice(1)) < 1,
  );
  return {
    title: 'P7 footprint',
    goal: "0 runtime dependencies, an application's `import { createStartup }` ≤ 10 KB min+gz, cold import ≤ 10 ms",
    method: `\`node scripts/size.mjs\` (esbuild bundle of packages/core/dist as a user's bundler makes it, tree-shaken, minified, gzip level 9; the plugin kit, what a connector adds, printed beside it). Cold import: ${rounds} fresh \`node -e\` processes per module, rounds interleaved; "import" is \`performance.now()\` around \`await import(…)\` inside the process (resolution, reading, compiling, evaluating, dependencies included), "process" is spawn to exit, compared with \`node -e ""\` (${num(nodeAlone, 1)} ms median). Dependencies: the package's direct runtime \`dependencies\`.`,
    summary: `${num(app.minGzipKiB, 2)} KB min+gz, ${size.dependencies} dependencies (${verdict(sizeMet)}); cold import ${num(ours, 2)} ms (${verdict(importMet)})`,
    tables: [
      {
        caption: '@startup/core size',
        header: ['what is imported', 'minified', 'min+gz', 'budget', 'runtime dependencies', 'goal'],
        rows: size.entries.map((entry, i) => [
          entry.label,
          `${num(entry.minKiB, 2)} KB`,
          `${num(entry.minGzipKiB, 2)} KB`,
          i === 0 ? '10.00 KB' : '—',
          String(size.dependencies),
          i === 0 ? verdict(sizeMet) : '—',
        ]),
      },
      {
        caption: 'Cold import',
        header: ['module', 'version', 'runtime deps', 'import', 'vs ours', 'process', 'process − node alone'],
        rows,
      },
    ],
    notes: [
      `Size ${verdict(sizeMet)}${sizeMet ? '' : ` (over by ${num((app.minGzipKiB - 10) * 1024, 0)} bytes)`}; import ${verdict(importMet)}.`,
      ...(slowerThanOurs.length > 0
        ? [
            `We import slower than ${slowerThanOurs.map((r) => r[0]).join(', ')}: core is one ${num(size.entries[1]?.minKiB ?? app.minKiB, 1)} KB module holding the runner, retry, breaker, health, report and signal handling; a peer that does one thing (a breaker, a loader) has less code to compile and run.`,
          ]
        : []),
    ],
  };
}

async function coldImport(module: string | undefined): Promise<{ importMs: number; processMs: number }> {
  const code =
    module === undefined
      ? ''
      : `const t = performance.now(); await import(${JSON.stringify(module)}); process.stdout.write(String(performance.now() - t));`;
  const began = performance.now();
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: benchDir });
  return { importMs: Number(stdout), processMs: performance.now() - began };
}

interface SizeEntry {
  label: string;
  minKiB: number;
  minGzipKiB: number;
}

/** The lines of `scripts/size.mjs`: one per entry (the budgeted one first), then the dependency count. */
async function coreSize(): Promise<{ entries: SizeEntry[]; dependencies: number }> {
  const { stdout } = await run(process.execPath, ['scripts/size.mjs'], { cwd: rootDir });
  return parseSizeOutput(stdout);
}

/**
 * Reads the output of `scripts/size.mjs` (`<label>: <n> KB minified, <n> KB min+gz…` lines, then `<n> runtime
 * dependencies`) line by line with string searches: time linear in its length, whatever it holds.
 */
export function parseSizeOutput(stdout: string): { entries: SizeEntry[]; dependencies: number } {
  const entries: SizeEntry[] = [];
  let dependencies: number | undefined;
  for (const line of stdout.split('\n')) {
    const colon = line.indexOf(': ');
    const [minified, rest] = line.slice(colon + 2).split(' KB minified, ', 2);
    const gzipped = rest?.split(' KB min+gz', 2);
    if (colon > 0 && gzipped?.length === 2 && isDecimal(minified!) && isDecimal(gzipped[0]!)) {
      entries.push({ label: line.slice(0, colon), minKiB: Number(minified), minGzipKiB: Number(gzipped[0]) });
    }
    const count = line.split(' runtime dependencies', 1)[0]!.split(' ').pop()!;
    if (line.includes(' runtime dependencies') && isDecimal(count)) dependencies ??= Number(count);
  }
  if (entries.length === 0 || dependencies === undefined)
    throw new Error(`unexpected output of scripts/size.mjs: ${stdout.trim().slice(0, 500)}`);
  return { entries, dependencies };
}

function isDecimal(text: string): boolean {
  return text !== '' && [...text].every((c) => c === '.' || (c >= '0' && c <= '9'));
}

function manifest(module: string): { version: string; dependencies?: Record<string, string> } {
  const require = createRequire(`${benchDir}/`);
  return JSON.parse(readFileSync(require.resolve(`${module}/package.json`), 'utf8'));
}

function version(module: string): string {
  return manifest(module).version;
}

function dependencyCount(module: string): number {
  return Object.keys(manifest(module).dependencies ?? {}).length;
}
