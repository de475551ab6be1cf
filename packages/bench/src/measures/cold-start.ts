import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track } from '../child-processes.js';
import { num, spread, verdict } from '../format.js';
import type { RunOptions } from '../run-options.js';
import type { Section, Table } from '../section.js';
import { unreachableServers } from '../servers.js';
import { percentile, summarize } from '../statistics.js';
import { appEnv, sampleMain } from './real-start.js';

/** The goal of P9: median spawn → ready on Node 24, in milliseconds. */
const goalMs = 150;

/** One way of running the sample: its compile cache off, cold (a new directory each start) or warm. */
interface Variant {
  name: string;
  /** The sample's built entry. */
  main: string;
  /** Node 22.1 and later only. */
  needsCompileCache: boolean;
  /** The compile cache directory of one start (`undefined`: the cache is off). */
  cacheDir(): string | undefined;
}

/** The sample's own timing marks of one start, in milliseconds since its process began. */
interface Marks {
  bootedMs: number;
  loadedMs: number;
  startingMs: number;
  listeningMs: number;
  readyMs: number;
}

/** One start measured from outside (spawn → first 200 on /health/ready) and from inside (its marks). */
interface Start {
  readyMs: number;
  /** Absent when the build logs none (one from before they were added). */
  marks: Marks | undefined;
  /** The start's own wall time (`report.wallMs`). */
  wallMs: number;
  /** Ready in process (`sinceProcessStartMs` of the ready line, which every build logs). */
  inProcessMs: number;
  /** Ready → the web framework serving the routes, in process (builds that load it after ready). */
  frameworkAfterReadyMs: number | undefined;
}

/**
 * P9: spawn of the built sample to its first 200 on /health/ready, split into boot, code load, listen, start and
 * ready by the marks it logs, on every Node given (`BENCH_NODES`, paths to `node` binaries separated by `:`, besides
 * the one running the suite), side by side with a bare `node -e 0`.
 */
export async function coldStartMeasure(options: RunOptions): Promise<Section> {
  const title = 'P9 cold start';
  const goal = `spawn → ready ≤ ${goalMs} ms (median) on Node 24`;
  const down = await unreachableServers();
  if (down.length > 0) return skipped(title, goal, `servers not reachable: ${down.join(', ')}`);
  if (!existsSync(sampleMain)) return skipped(title, goal, `${sampleMain} is not built`);
  const starts = options.quick ? 4 : 10;
  const dir = mkdtempSync(join(tmpdir(), 'bench-p9-'));
  const warm = join(dir, 'warm');
  let fresh = 0;
  const warmVariant: Variant = {
    name: 'compile cache, warm',
    main: sampleMain,
    needsCompileCache: true,
    cacheDir: () => warm,
  };
  const variants: Variant[] = [
    { name: 'compile cache off', main: sampleMain, needsCompileCache: false, cacheDir: () => undefined },
    {
      name: 'compile cache, first run',
      main: sampleMain,
      needsCompileCache: true,
      cacheDir: () => join(dir, `cold-${fresh++}`),
    },
    warmVariant,
  ];
  // A sample built from another revision (its dist/main.js), measured the same way: before and after, side by side.
  const baseline = process.env.BENCH_BASELINE;
  if (baseline !== undefined && existsSync(baseline))
    variants.unshift({
      name: 'previous build (`BENCH_BASELINE`)',
      main: baseline,
      needsCompileCache: false,
      cacheDir: () => undefined,
    });
  const nodes = [process.execPath, ...(process.env.BENCH_NODES ?? '').split(':').filter((p) => p !== '')];
  const rows: string[][] = [];
  const notes: string[] = [];
  let node24: number | undefined;
  try {
    for (const node of nodes) {
      const version = nodeVersion(node);
      const major = Number(version.slice(1).split('.')[0]);
      const minor = Number(version.split('.')[1]);
      const compileCache = major > 22 || (major === 22 && (minor ?? 0) >= 1);
      const floor = await bootFloor(node, starts);
      rows.push([
        version,
        '`node -e 0` (boot)',
        spread(summarize(floor), 0, ' ms'),
        '–',
        '–',
        '–',
        '–',
        '–',
        '–',
        '–',
      ]);
      const here = variants.filter((v) => compileCache || !v.needsCompileCache);
      const measured = new Map<Variant, Start[]>(here.map((v) => [v, []]));
      // Untimed: fills the warm cache, and the servers' first connections are not what is measured.
      for (const variant of here)
        await startSample(node, variant.main, variant === warmVariant ? warm : undefined);
      // Interleaved, so a load that drifts weighs on every row alike.
      for (let i = 0; i < starts; i++)
        for (const variant of here)
          measured.get(variant)!.push(await startSample(node, variant.main, variant.cacheDir()));
      for (const variant of here) {
        const runs = measured.get(variant)!;
        const ready = runs.map((s) => s.readyMs);
        const median = (pick: (marks: Marks, start: Start) => number) =>
          runs.every((s) => s.marks !== undefined)
            ? num(
                percentile(
                  runs.map((s) => pick(s.marks!, s)),
                  50,
                ),
                0,
              )
            : '–';
        rows.push([
          version,
          variant.name,
          `${spread(summarize(ready), 0, ' ms')}, p90 ${num(percentile(ready, 90), 0)} ms`,
          median((m) => m.bootedMs),
          median((m) => m.loadedMs - m.bootedMs),
          median((m) => m.startingMs - m.loadedMs),
          median((m) => m.listeningMs - m.startingMs),
          num(
            percentile(
              runs.map((s) => s.wallMs),
              50,
            ),
            0,
          ),
          num(
            percentile(
              runs.map((s) => s.inProcessMs),
              50,
            ),
            0,
          ),
          runs.every((s) => s.frameworkAfterReadyMs !== undefined)
            ? num(
                percentile(
                  runs.map((s) => s.frameworkAfterReadyMs!),
                  50,
                ),
                0,
              )
            : '–',
        ]);
        if (major === 24 && variant.cacheDir() !== undefined && variant.main === sampleMain) {
          const m = percentile(ready, 50);
          node24 = node24 === undefined ? m : Math.min(node24, m);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table: Table = {
    caption: `Spawn → first 200 on /health/ready (${starts} starts each), and where the time went (medians, ms)`,
    header: [
      'Node',
      'run',
      'spawn → ready',
      'boot',
      'code load',
      'set-up',
      'start → listen',
      'start (`report.wallMs`)',
      'ready, in process',
      'then the web framework serving (after ready)',
    ],
    rows,
  };
  if (node24 === undefined)
    notes.push(
      'Node 24 was not measured: give its binary in `BENCH_NODES` (paths separated by `:`), e.g. `BENCH_NODES=/opt/node24/bin/node pnpm bench --only P9`.',
    );
  notes.push(
    'Columns: boot is the first line of `dist/main.js` (Node itself); code load is the import of `dist/app.js` (configuration, `@startup/core`, the connectors without their client libraries, the monitor, the probes); set-up reads the configuration and creates the plugins, the logger, the start and the monitor; start → listen is the start begun to Node\'s HTTP server listening, the probes answering (the client libraries load meanwhile); ready is the start completed, in process; then the web framework (`dist/server-*.js`: Fastify, ajv and the routes) loads, once the first readiness probe was answered 200 or 100 ms passed, and takes the other requests: the last column is ready → "web framework serving the routes", in process. spawn → ready adds the first answer to a client polling every 2 ms. The previous build loaded Fastify during the start and listened with it: its start → listen includes Fastify, and its ready waited for it.',
    "Levers kept: the probes answer from Node's own HTTP server from the start, and the web framework loads once the services have started and the first readiness probe has been answered (loading code is CPU work the start's round trips could not hide: during the start it delayed the start's own steps); the Redis and NATS connectors load their client libraries in `init`, and the sample's own plugin imports JetStream's error classes in `init` too (a top-level import of them evaluated all of nats.js with the bundle); Node's compile cache from the entry's first lines (Node ≥ 22.1); `node:http` read through `require` (an ES import of it loads undici on Node 22+); ajv's meta-schema left uncompiled. PostgreSQL's connector still loads pg at import: it resolves the target with pg's own rules when the options are checked, before anything connects.",
  );
  return {
    title,
    goal,
    method: `\`node apps/sample/dist/main.js\` spawned ${starts} times per row (after one untimed start) against the loopback servers (PostgreSQL warmed to 10, Redis, NATS with JetStream), \`LOG_LEVEL=info\` (the marks are on the ready line), no history; the compile cache off (\`NODE_DISABLE_COMPILE_CACHE=1\`), in a new directory each start (first run) or in one directory filled by the untimed start (warm). The floor: \`node -e 0\`, spawn to exit.`,
    summary:
      node24 === undefined
        ? 'Node 24 not measured (see P9)'
        : `Node 24 median spawn → ready ${num(node24, 0)} ms with the compile cache (${verdict(node24 <= goalMs)})`,
    tables: [table],
    notes,
  };
}

function nodeVersion(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** `node -e 0`, spawn to exit, `starts` times. */
async function bootFloor(node: string, starts: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < starts; i++) {
    const began = performance.now();
    const child = track(spawn(node, ['-e', '0'], { stdio: 'ignore' }));
    await new Promise((resolve) => child.once('exit', resolve));
    times.push(performance.now() - began);
  }
  return times;
}

/** Spawns the sample with `node`, polls /health/ready every 2 ms until 200, reads its marks, stops it. */
async function startSample(node: string, main: string, cacheDir: string | undefined): Promise<Start> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...appEnv,
    LOG_LEVEL: 'info',
    PORT: '0',
    SERVICE_NAME: 'bench-p9',
    ...(cacheDir === undefined ? { NODE_DISABLE_COMPILE_CACHE: '1' } : { NODE_COMPILE_CACHE: cacheDir }),
  };
  const began = performance.now();
  const child = track(spawn(node, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const wait = () => new Promise((resolve) => setTimeout(resolve, 2));
  try {
    let port: string | undefined;
    const deadline = began + 30_000;
    while (port === undefined) {
      if (child.exitCode !== null || performance.now() > deadline)
        throw new Error(`the sample did not listen (exit ${child.exitCode}): ${err.trim()}`);
      port = /"port":(\d+)[^\n]*"msg":"probes answering/.exec(out)?.[1];
      if (port === undefined) await wait();
    }
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      if (status === 200) break;
      if (child.exitCode !== null || performance.now() > deadline)
        throw new Error(`the sample was not ready (exit ${child.exitCode}): ${err.trim()}`);
      await wait();
    }
    const readyMs = performance.now() - began;
    let line: { marks?: Marks; wallMs?: number; sinceProcessStartMs?: number } | undefined;
    while (line === undefined) {
      const text = out.split('\n').find((l) => l.includes('"msg":"started: ready for traffic"'));
      if (text !== undefined) line = JSON.parse(text) as typeof line;
      else await wait();
    }
    if (line?.wallMs === undefined || line.sinceProcessStartMs === undefined)
      throw new Error('the sample logged no wall time on its ready line');
    // Builds that load the web framework after ready say when it took the requests over.
    let serving: { sinceProcessStartMs?: number } | undefined;
    while (main === sampleMain && serving === undefined) {
      const text = out.split('\n').find((l) => l.includes('"msg":"web framework serving the routes"'));
      if (text !== undefined) serving = JSON.parse(text) as typeof serving;
      else if (child.exitCode !== null || performance.now() > deadline)
        throw new Error(`the web framework did not take over (exit ${child.exitCode}): ${err.trim()}`);
      else await wait();
    }
    return {
      readyMs,
      marks: line.marks,
      wallMs: line.wallMs,
      inProcessMs: line.sinceProcessStartMs,
      frameworkAfterReadyMs:
        serving?.sinceProcessStartMs === undefined
          ? undefined
          : serving.sinceProcessStartMs - line.sinceProcessStartMs,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function skipped(title: string, goal: string, reason: string): Section {
  return { title, goal, method: '–', summary: '', tables: [], notes: [], skipped: reason };
}
