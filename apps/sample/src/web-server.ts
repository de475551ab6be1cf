import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Logger } from '@startup/core';
import type { Monitor } from '@startup/monitor';
import { attachProbes, createProbeHandler, type ProbePhase } from '@startup/probes';
import { historyMetrics } from './history.js';
import type { SampleContext } from './sample-context.js';

// Through require, not an ES import: see error-replies.ts (an ES import of node:http loads undici on Node 22+).
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

/** How many requests may wait for the web framework once the start completed; beyond, 503 at once. */
const maxWaiting = 1_000;

/** How each service shows in `/health` (`componentType` of the IETF draft). */
const componentTypes: Readonly<Record<string, string>> = {
  postgres: 'datastore',
  redis: 'datastore',
  nats: 'component',
  'events-table': 'datastore',
  'events-stream': 'component',
};

/**
 * The service's HTTP server, Node's own, listening before the web framework has loaded. The probes, `/metrics`,
 * `/api/v1/stats` and the start-up page are answered here, in front of everything, from the first moment to the
 * last (`@startup/probes`). Any other request gets 503 `NOT_READY` while the services start; once they have
 * started, it waits for the web framework (most of the code, loaded only then) and is handed to it, even when a
 * shutdown began meanwhile: it is in flight, and the shutdown lets in-flight requests finish.
 */
export interface WebServer {
  readonly server: Server;
  /** The phase the probes report: `starting`, `started`, `stopping` (from the first moment of a shutdown) or `failed`. */
  readonly phase: ProbePhase;
  /**
   * The phase `request` met: `started` when it arrived while the service was started (a shutdown that began
   * since then lets it finish), otherwise the phase now.
   */
  phaseAt(request: IncomingMessage): ProbePhase;
  /** How many requests wait for the web framework now. */
  readonly waiting: number;
  /**
   * Resolves once readiness was first answered 200: the moment a kubelet (or a load balancer) learns the service
   * is ready. The web framework loads after it, so that answer never waits for the framework's code to load.
   */
  readonly answeredReady: Promise<void>;
  /** Listens on `host`:`port` (0 picks a free port). */
  listen(port: number, host: string): Promise<void>;
  /** Every request that is not a probe goes to `handler` (the web framework's) from now on, those waiting first. */
  handOver(handler: RequestListener): void;
  /** Answers 503 to the requests waiting for the web framework, and to those that come later (it did not load). */
  refuse(): void;
  /**
   * The graceful shutdown, once (later calls return the same promise): readiness fails, `SHUTDOWN_DELAY_MS`
   * passes, the server stops accepting connections, in-flight requests finish (those waiting for the web framework
   * once it has taken them), keep-alive connections close, then the services close in reverse dependency order.
   */
  stop(options?: { reason?: string; force?: AbortSignal }): Promise<void>;
}

/** The web server of the sample; `logger` gets the shutdown's lines ("shutting down", "shutdown complete"). */
export function createWebServer(ctx: SampleContext, logger: Logger): WebServer {
  const { config } = ctx;
  // Polled bodies repeat while the health result is cached: the last one masked is reused, not masked again.
  let last = { body: '', masked: '' };
  const probes = createProbeHandler({
    app: ctx.startup,
    monitor: withHistoryMetrics(ctx),
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    service: config.serviceName,
    componentTypes,
    // Reports on the service itself (error messages of the start included) are masked as a last line of
    // defence. Nothing a client sends reaches them, so the mask cannot confirm a guess.
    redact: (body) => {
      if (body !== last.body) last = { body, masked: ctx.redact(body) };
      return last.masked;
    },
  });
  let framework: RequestListener | undefined;
  let refusing = false;
  const waiting: [IncomingMessage, ServerResponse][] = [];
  const admitted = new WeakSet<IncomingMessage>();
  const readyPath = probes.routes.paths.ready;
  // Watched until readiness was answered 200 once; from then on a probe costs nothing more here.
  let watchingReady = true;
  let answeredReady!: () => void;
  const ready = new Promise<void>((resolve) => (answeredReady = resolve));
  const server = createServer((request, response) => {
    if (probes(request, response)) {
      if (watchingReady && pathOf(request.url) === readyPath) {
        response.once('finish', () => {
          if (response.statusCode !== 200) return;
          watchingReady = false;
          answeredReady();
        });
      }
      return;
    }
    const phase = probes.phase;
    if (phase === 'started') admitted.add(request);
    if (framework !== undefined) return framework(request, response);
    if (phase !== 'started' || refusing || waiting.length >= maxWaiting) return notReady(response, phase);
    waiting.push([request, response]);
  });
  // Drained with the server on shutdown.
  const attached = attachProbes(server, {
    handler: probes,
    delayMs: config.shutdownDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
    signals: [],
    logger,
  });
  return {
    server,
    answeredReady: ready,
    get phase() {
      return probes.phase;
    },
    phaseAt: (request) => (admitted.has(request) ? 'started' : probes.phase),
    get waiting() {
      return waiting.length;
    },
    listen: (port, host) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          resolve();
        });
      }),
    handOver(handler) {
      if (refusing) return;
      framework = handler;
      for (const [request, response] of waiting.splice(0)) handler(request, response);
    },
    refuse() {
      refusing = true;
      for (const [, response] of waiting.splice(0)) notReady(response, probes.phase);
    },
    stop: (options) => attached.stop(options),
  };
}

/** The path of a request target, without its query string. */
function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query < 0 ? (url ?? '') : url!.slice(0, query);
}

/**
 * The body of a 503 to a request the service cannot take in `phase` (sent with `Retry-After: 1`): by the web
 * server while the services start, and by the routes while shutting down. It never repeats the request.
 */
export function notReadyBody(phase: ProbePhase) {
  return {
    statusCode: 503,
    code: 'NOT_READY',
    error: 'Service Unavailable',
    message: `The service is ${phase}`,
  };
}

/** 503 with `Retry-After`, naming the phase (see {@link notReadyBody}). */
function notReady(response: ServerResponse, phase: ProbePhase): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
  response.end(JSON.stringify(notReadyBody(phase)));
}

/** The monitor, its `/metrics` followed by the history's failed writes (when there is a history). */
function withHistoryMetrics({ monitor, history, config }: SampleContext): Monitor {
  if (history === undefined) return monitor;
  const metrics: Monitor['metrics'] = (options) =>
    monitor.metrics(options) + historyMetrics(history, config.serviceName);
  return Object.assign(Object.create(monitor) as Monitor, { metrics });
}
