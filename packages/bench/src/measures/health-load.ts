import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { num, spread, verdict } from '../format.js';
import { type CountingProxy, createCountingProxy } from '../health-load/counting-proxy.js';
import type { RunOptions } from '../run-options.js';
import type { Section, Table } from '../section.js';
import { endpoint, servers, unreachableServers, via } from '../servers.js';
import { type SpawnedApp, spawnApp } from '../spawn-app.js';
import { summarize } from '../statistics.js';
import { appEnv, sampleMain } from './real-start.js';

const appsDir = fileURLToPath(new URL('../apps/', import.meta.url));
const root = fileURLToPath(new URL('../../../../', import.meta.url));
// 100 connections at once: what a load balancer and a fleet's probes send a busy instance.
const connections = 100;

interface Target {
  name: string;
  script: string;
  path: string;
  env?: Record<string, string>;
  /** Goes through the counting proxies (has backends). */
  backends: boolean;
  /** Polled until the server answers 200; defaults to `/health/ready`. */
  readyPath?: string;
}

interface Run {
  p50: number;
  p99: number;
  rps: number;
  non2xx: number;
  /** Backend requests per second: PostgreSQL, Redis, NATS. */
  queries: [number, number, number];
}

/** P5: /health under load, cached and single-flight vs not, vs a bare handler, with the backend queries counted. */
export async function healthLoadMeasure(options: RunOptions): Promise<Section> {
  const down = await unreachableServers();
  if (down.length > 0) return skipped(`servers not reachable: ${down.join(', ')}`);
  const durationS = options.quick ? 2 : 8;
  const reps = options.quick ? 1 : 3;
  const sampleBuilt = existsSync(sampleMain);
  const targets: Target[] = [
    { name: 'node:http "ok" (no check)', script: `${appsDir}bare-http.mjs`, path: '/', backends: false },
    ...(['express', 'fastify'] as const).map((framework) => ({
      name: `${frameworkName[framework]} "ok" (no check)`,
      script: `${appsDir}framework-ok.mjs`,
      path: '/',
      readyPath: '/',
      env: { FRAMEWORK: framework },
      backends: false,
    })),
    ...(['cached', 'single-flight', 'direct'] as const).map((mode) => ({
      name: {
        cached: 'node:http + core health(): single-flight, cached 1 s (default)',
        'single-flight': 'node:http + core health(): single-flight, cacheMs 0',
        direct: 'node:http + every healthCheck per request (no single-flight, no cache)',
      }[mode],
      script: `${appsDir}health-server.mjs`,
      path: '/health',
      env: { HEALTH: mode },
      backends: true,
    })),
    ...probeTargets.map(([framework, path]) => ({
      name: probeRowName(framework, path),
      script: `${appsDir}probes-server.mjs`,
      path,
      env: { FRAMEWORK: framework },
      backends: true,
    })),
    ...(sampleBuilt
      ? [
          { name: 'sample app GET /health/ready', script: sampleMain, path: '/health/ready', backends: true },
          { name: 'sample app GET /health', script: sampleMain, path: '/health', backends: true },
        ]
      : []),
  ];
  const proxies = await Promise.all(
    (['postgres', 'redis', 'nats'] as const).map((p) => createCountingProxy(p, endpoint(servers[p]))),
  );
  const runs = new Map<string, Run[]>(targets.map((t) => [t.name, []]));
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const target of targets) runs.get(target.name)!.push(await load(target, proxies, durationS));
    }
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
  }
  const rows = targets.map((t) => {
    const r = runs.get(t.name)!;
    const q = (i: 0 | 1 | 2) => summarize(r.map((x) => x.queries[i]));
    const total = summarize(r.map((x) => x.queries[0] + x.queries[1] + x.queries[2]));
    return [
      t.name,
      spread(summarize(r.map((x) => x.rps)), 0),
      spread(summarize(r.map((x) => x.p50)), 1, ' ms'),
      spread(summarize(r.map((x) => x.p99)), 1, ' ms'),
      t.backends ? `${num(q(0).median, 1)} / ${num(q(1).median, 1)} / ${num(q(2).median, 1)}` : '–',
      t.backends ? spread(total, 1) : '–',
      t.backends ? num(total.median / summarize(r.map((x) => x.rps)).median, 4) : '–',
      String(r.reduce((s, x) => s + x.non2xx, 0)),
    ];
  });
  const byName = (name: string) => runs.get(name) ?? [];
  const cached = byName('node:http + core health(): single-flight, cached 1 s (default)');
  const ready = byName('sample app GET /health/ready');
  const p99Cached = summarize(cached.map((r) => r.p99)).median;
  const p99Ready = summarize(ready.map((r) => r.p99)).median;
  // Bounded by the cache period: ~1 check per second, i.e. 4 backend requests (1 + 1 + 2) per second.
  const perSecond = (r: Run[]) => summarize(r.map((x) => x.queries[0] + x.queries[1] + x.queries[2])).median;
  const p99Of = (r: Run[]) => summarize(r.map((x) => x.p99)).median;
  const probeRows = targets.filter((t) => t.script.endsWith('probes-server.mjs')).map((t) => byName(t.name));
  const p99Probes = Math.max(...probeRows.map(p99Of));
  const boundedProbes = probeRows.every((r) => perSecond(r) <= 8);
  const boundedCached = perSecond(cached) <= 8;
  const boundedReady = ready.length === 0 || perSecond(ready) <= 8;
  const latencyMet = p99Cached <= 10 && (ready.length === 0 || p99Ready <= 10) && p99Probes <= 10;
  // Each framework's own floor: the same server answering "ok" with nothing to check.
  const floors = {
    http: p99Of(byName(targets[0]!.name)),
    express: p99Of(byName(`${frameworkName.express} "ok" (no check)`)),
    fastify: p99Of(byName(`${frameworkName.fastify} "ok" (no check)`)),
  };
  const floorRows = (['http', 'express', 'fastify'] as const).map((framework) => {
    const row = (path: ProbePath) => {
      const r = byName(probeRowName(framework, path));
      return r.length === 0 ? undefined : p99Of(r);
    };
    return { framework, floor: floors[framework], ready: row('/health/ready'), health: row('/health') };
  });
  const added = (p99: number | undefined, floor: number) =>
    p99 === undefined
      ? '–'
      : `${num(p99, 1)} ms (${p99 >= floor ? '+' : '−'}${num(Math.abs(p99 - floor), 1)})`;
  const floorTable: Table = {
    caption: 'p99 of the probes against their framework alone answering "ok" (medians of the runs above)',
    header: ['framework', 'floor: "ok", no check', 'GET /health/ready (− floor)', 'GET /health (− floor)'],
    rows: floorRows.map(({ framework, floor, ready: r, health: h }) => [
      frameworkName[framework],
      `${num(floor, 1)} ms`,
      added(r, floor),
      added(h, floor),
    ]),
  };
  const overFloor = floorRows.filter((f) => f.floor > 10).map((f) => frameworkName[f.framework]);
  const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${num(Math.abs(ms), 1)} ms`;
  const floorVerdict = floorRows
    .map(({ framework, floor, ready: r, health: h }) => {
      const name = frameworkName[framework];
      const rows = [r === undefined ? '' : `/health/ready ${signed(r - floor)}`]
        .concat(h === undefined ? [] : [`/health ${signed(h - floor)}`])
        .filter((x) => x !== '');
      const worst = Math.max(...[r, h].filter((x): x is number => x !== undefined));
      const why =
        worst <= 10
          ? 'within 10 ms'
          : floor > 10
            ? `over 10 ms, as is ${name} alone: 10 ms is out of reach in ${name} here, and the probes' own cost is the difference`
            : `over 10 ms with ${name} alone within it: the probes' own cost`;
      return `${name} (alone ${num(floor, 1)} ms) ${rows.join(', ')}, ${why}`;
    })
    .join('; ');
  const table: Table = {
    caption: `autocannon, ${connections} connections, ${durationS} s per run, ${reps} run${reps > 1 ? 's' : ''} each`,
    header: [
      'server',
      'req/s',
      'p50',
      'p99',
      'backend requests/s (PG / Redis / NATS)',
      'backend requests/s, all',
      'per HTTP request',
      'non-2xx',
    ],
    rows,
  };
  return {
    title: 'P5 health under load',
    goal: 'p99 ≤ 10 ms, backend queries bounded by the cache period whatever the request rate',
    method: `Each server is spawned fresh (PostgreSQL warmed to 10, Redis, NATS with JetStream) and loaded with autocannon from this process. Its backends are reached through counting proxies in this process that parse each protocol and count what the server is actually sent: PostgreSQL queries ('Q'/'E' messages), Redis commands, NATS PINGs and publications; counts start once the server is ready. One health check is 1 + 1 + 2 backend requests (SELECT 1; PING; PING + JetStream account info). "Bounded" means at most 8 backend requests/s (two checks' worth per 1 s cache period) at whatever HTTP rate autocannon reaches; the sample app also checks its own two plugins. The "node:http +" servers (packages/bench/src/apps/health-server.mjs) isolate the check from Fastify; the sample app's routes are what ships. The "@startup/probes" and "@startup/fastify" rows (packages/bench/src/apps/probes-server.mjs) serve the same three connectors through the packages as a user mounts them: the handler in a plain node:http server, the handler as Express 5 middleware, the plugin in Fastify 5, each with a monitor and the drain attached, on /health/ready (a small body) and /health (the full health+json body). Each is read against its framework's floor: node:http, Express 5 and Fastify 5 answering "ok" on GET / with nothing to check (packages/bench/src/apps/bare-http.mjs and framework-ok.mjs: Express through a middleware writing with node:http's response methods, as the probes handler does; Fastify through a route and \`reply.send\`, as the plugin does), loaded the same way in the same run.${sampleBuilt ? '' : ` The sample app was not built (${sampleMain} missing): its rows are absent.`}`,
    summary: `p99 ${num(p99Cached, 1)} ms cached, at most ${num(p99Probes, 1)} ms on /health/ready and /health of @startup/probes and @startup/fastify${ready.length > 0 ? `, ${num(p99Ready, 1)} ms on the sample's /health/ready` : ''} (${verdict(latencyMet)}${overFloor.length > 0 ? `; ${listed(overFloor)} alone answering "ok" ${overFloor.length > 1 ? 'are' : 'is'} over 10 ms in this run` : ''}); backend requests bounded by the cache ${verdict(boundedCached && boundedReady && boundedProbes)}`,
    tables: [table, floorTable],
    notes: [
      `With the default (single-flight, cached 1 s) the backends get about one check per second, ${num(perSecond(cached), 1)} requests/s, at ${num(summarize(cached.map((r) => r.rps)).median, 0)} HTTP requests/s: ${verdict(boundedCached)}. Without single-flight and cache every HTTP request becomes 4 backend requests, and the backends, not Node, set the throughput; single-flight alone (cacheMs 0) bounds them by the number of checks in flight, not by time.`,
      `Probes packages: ${probeTargets.map(([framework, path], i) => `${frameworkName[framework]} ${path} p50 ${num(summarize(probeRows[i]!.map((x) => x.p50)).median, 1)} ms / p99 ${num(p99Of(probeRows[i]!), 1)} ms at ${num(summarize(probeRows[i]!.map((x) => x.rps)).median, 0)} req/s`).join('; ')}. Against each framework's floor: ${floorVerdict}. Backend requests bounded by the cache whatever the framework: ${verdict(boundedProbes)}.`,
      "Against its framework's floor a cached check still costs each request: awaiting the cached health promise, and for /health/ready a small JSON body. /health's full body (one entry per plugin with its breaker state, the start-up analysis and recommendations) is built and serialised once per health run and reused while the cache returns that run. That is the price of the answer, not of the backends.",
    ],
  };
}

/** `a`, `a and b`, `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

type ProbePath = '/health/ready' | '/health';
const frameworkName = { http: 'node:http', express: 'Express 5', fastify: 'Fastify 5' } as const;
const probeTargets: readonly (readonly ['http' | 'express' | 'fastify', ProbePath])[] = [
  ['http', '/health/ready'],
  ['http', '/health'],
  ['express', '/health/ready'],
  ['fastify', '/health/ready'],
  ['fastify', '/health'],
];

function probeRowName(framework: 'http' | 'express' | 'fastify', path: ProbePath): string {
  return framework === 'fastify'
    ? `@startup/fastify plugin in Fastify 5 GET ${path}`
    : `@startup/probes handler in ${frameworkName[framework]} GET ${path}`;
}

async function load(target: Target, proxies: CountingProxy[], durationS: number): Promise<Run> {
  const [pg, rd, nt] = proxies as [CountingProxy, CountingProxy, CountingProxy];
  const env = {
    ...appEnv,
    DATABASE_URL: via(servers.postgres, pg),
    REDIS_URL: via(servers.redis, rd),
    NATS_URL: via(servers.nats, nt),
    ...target.env,
  };
  const app: SpawnedApp = await spawnApp({
    script: target.script,
    env,
    cwd: root,
    ...(target.readyPath === undefined ? {} : { readyPath: target.readyPath }),
  });
  try {
    // A short warm-up, then counts from zero.
    await autocannon({ url: `http://127.0.0.1:${app.port}${target.path}`, connections, duration: 0.5 });
    for (const p of proxies) p.reset();
    const began = performance.now();
    const result = await autocannon({
      url: `http://127.0.0.1:${app.port}${target.path}`,
      connections,
      duration: durationS,
    });
    const seconds = (performance.now() - began) / 1000;
    return {
      p50: result.latency.p50,
      p99: result.latency.p99,
      rps: result.requests.average,
      non2xx: result.non2xx,
      queries: [pg.requests / seconds, rd.requests / seconds, nt.requests / seconds],
    };
  } finally {
    await app.stop();
  }
}

function skipped(reason: string): Section {
  return {
    title: 'P5 health under load',
    goal: 'p99 ≤ 10 ms, backend queries bounded by the cache period whatever the request rate',
    method: '–',
    summary: '',
    tables: [],
    notes: [],
    skipped: reason,
  };
}
