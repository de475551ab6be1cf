import { analyze, healthContentType, prometheusContentType, recommend } from '@startup/monitor';
import { apiKeyMatcher } from './api-key.js';
import { healthResponder } from './health-body.js';
import { type ProbePhase, phaseOf } from './phase.js';
import {
  type ProbeOptions,
  type ProbeRoute,
  type ResolvedProbeOptions,
  resolveProbeOptions,
} from './probe-options.js';
import { startupPage, startupPageHeaders } from './startup-page.js';

/** One answer of the probes, for any framework to send as it is. */
export interface ProbeResponse {
  statusCode: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

/** The probes, framework-neutral: what the node:http handler and the Fastify plugin both serve. */
export interface ProbeRoutes {
  /** The path of every route served (those turned off, and those that need a monitor without one, left out). */
  readonly paths: Readonly<Partial<Record<ProbeRoute, string>>>;
  /** The route served at `path` (exact match, no query string), or `undefined`. */
  match(path: string): ProbeRoute | undefined;
  /**
   * Answers `route`. `apiKey` is the request's `X-API-Key` header, when it has exactly one; only the stats route
   * reads it. Never rejects: an unexpected error is a 500 with a fixed body. Nothing of the request is echoed.
   */
  respond(route: ProbeRoute, request?: { apiKey?: string | undefined }): Promise<ProbeResponse>;
  /** The phase the probes report. */
  readonly phase: ProbePhase;
  /** Whether {@link drain} was called. */
  readonly draining: boolean;
  /** From now on readiness fails (503, phase `stopping`) and `/health` says `shutting down`. Idempotent. */
  drain(): void;
  /** The options, checked. */
  readonly options: ResolvedProbeOptions;
}

const probeHeaders = { 'content-type': healthContentType, 'cache-control': 'no-store' };
const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The probe routes of an application: `/health` (application/health+json), `/health/live`, `/health/ready`,
 * `/health/startup`, and with a monitor `/metrics` (Prometheus text) and `/startup` (the start-up page), and
 * `/api/v1/stats` behind `X-API-Key`. For adapters to a framework; applications use {@link createProbeHandler},
 * {@link attachProbes}, {@link serveProbes} or `@startup/fastify`. Options are checked here (see
 * {@link resolveProbeOptions}); `extraKeys` are the caller's own option names.
 */
export function createProbeRoutes(options: ProbeOptions, extraKeys: readonly string[] = []): ProbeRoutes {
  const resolved = resolveProbeOptions(options, extraKeys);
  const { app, monitor, redact } = resolved;
  const matches = resolved.apiKey === undefined ? undefined : apiKeyMatcher(resolved.apiKey);
  let draining = false;
  const phase = () => phaseOf(app.state, draining);

  const paths: Partial<Record<ProbeRoute, string>> = {};
  for (const [route, path] of Object.entries(resolved.paths) as [ProbeRoute, string | false][]) {
    if (path === false) continue;
    if ((route === 'metrics' || route === 'page') && monitor === undefined) continue;
    paths[route] = path;
  }
  const byPath = new Map(Object.entries(paths).map(([route, path]) => [path, route as ProbeRoute]));
  const healthAnswer = healthResponder(resolved, phase);

  const handlers: Record<ProbeRoute, (apiKey: string | undefined) => Promise<ProbeResponse>> = {
    async health() {
      const { statusCode, body } = await healthAnswer();
      return { statusCode, headers: { ...probeHeaders }, body };
    },
    async live() {
      const { status } = app.liveness();
      return json(status === 'fail' ? 503 : 200, { status, phase: phase() }, probeHeaders);
    },
    async startup() {
      const now = phase();
      const done = now === 'started' || now === 'stopping';
      return json(done ? 200 : 503, { status: done ? 'pass' : 'fail', phase: now }, probeHeaders);
    },
    async ready() {
      if (phase() !== 'started') return json(503, { status: 'fail', phase: phase() }, probeHeaders);
      const { status, health } = await app.readiness();
      const failing = Object.entries(health?.checks ?? {})
        .filter(([, check]) => check.status === 'fail')
        .map(([name]) => name);
      // A drain that began while readiness was being checked wins: the answer must not say ready.
      const now = phase();
      const body = {
        status: now === 'started' ? status : 'fail',
        phase: now,
        ...(failing.length > 0 ? { failing } : {}),
      };
      return json(body.status === 'fail' ? 503 : 200, body, probeHeaders);
    },
    async metrics() {
      // A fresh (or cached) health run, which the monitor records for the figures.
      await app.health();
      return {
        statusCode: 200,
        headers: { 'content-type': prometheusContentType },
        body: monitor!.metrics(),
      };
    },
    async page() {
      const body = startupPage({
        report: app.report(),
        analysis: monitor!.analysis(),
        recommendations: monitor!.recommendations(),
        trend: monitor!.trend(),
        service: resolved.service,
      });
      return { statusCode: 200, headers: { ...startupPageHeaders }, body };
    },
    async stats(apiKey) {
      if (matches === undefined) {
        return json(403, {
          statusCode: 403,
          code: 'STATS_DISABLED',
          error: 'Forbidden',
          message: 'The stats endpoint is disabled: no API key is configured',
        });
      }
      if (!matches(apiKey)) {
        const response = json(401, {
          statusCode: 401,
          code: apiKey === undefined ? 'API_KEY_MISSING' : 'API_KEY_INVALID',
          error: 'Unauthorized',
          message: apiKey === undefined ? 'X-API-Key header required' : 'Invalid API key',
        });
        response.headers['www-authenticate'] = 'ApiKey header="X-API-Key"';
        return response;
      }
      const health = await app.health();
      const report = app.report();
      const analysis = monitor ? monitor.analysis() : analyze(report);
      const memory = process.memoryUsage();
      return json(200, {
        service: resolved.service ?? null,
        phase: phase(),
        uptimeSeconds: process.uptime(),
        startup: {
          report,
          analysis,
          recommendations: monitor ? monitor.recommendations() : recommend(analysis),
        },
        health: monitor ? monitor.healthPayload(health) : health,
        trend: monitor?.trend() ?? null,
        process: {
          pid: process.pid,
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          node: process.version,
        },
      });
    },
  };

  return {
    paths,
    match: (path) => byPath.get(path),
    async respond(route, request = {}) {
      try {
        const answer = await handlers[route](request.apiKey);
        return redact === undefined ? answer : { ...answer, body: redact(answer.body) };
      } catch {
        return json(500, {
          statusCode: 500,
          code: 'PROBE_FAILED',
          error: 'Internal Server Error',
          message: 'Internal error',
        });
      }
    },
    get phase() {
      return phase();
    },
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
    options: resolved,
  };
}

function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = jsonHeaders,
): ProbeResponse {
  return { statusCode, headers: { ...headers }, body: JSON.stringify(body) };
}
