import { startupPlugin } from '@startup/fastify';
import type { Monitor } from '@startup/monitor';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { replyWithoutEcho } from './error-replies.js';
import { historyMetrics } from './history.js';
import { strictJsonBodies } from './json-body.js';
import { eventRoutes } from './routes/events.js';
import type { SampleContext } from './sample-context.js';

/**
 * The Fastify instance, without routes yet, logging through `log` (the sample's logger, see `sampleLogger`).
 * Input is validated strictly (JSON bodies only, other content types 415; raw bodies checked before parsing,
 * see {@link strictJsonBodies}; no type coercion, unknown fields rejected), no answer repeats what the
 * client sent (see {@link replyWithoutEcho}), and a closing server answers 503 while in-flight requests finish.
 */
export function createServer(log: FastifyBaseLogger): FastifyInstance {
  const server = Fastify({
    loggerInstance: log,
    ajv: {
      // validateSchema: false skips compiling JSON Schema's meta-schema (~30 ms of a start) to check the routes'
      // own schemas, which are fixed in this code and exercised by its tests.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, validateSchema: false },
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  // The API takes JSON only: without Fastify's built-in text/plain parser, every other type gets 415.
  server.removeContentTypeParser('text/plain');
  strictJsonBodies(server, ['type', 'payload']);
  replyWithoutEcho(server);
  return server;
}

/** How each service shows in `/health` (`componentType` of the IETF draft). */
const componentTypes: Readonly<Record<string, string>> = {
  postgres: 'datastore',
  redis: 'datastore',
  nats: 'component',
  'events-table': 'datastore',
  'events-stream': 'component',
};

/**
 * Mounts every route of the sample: the probes, `/metrics`, `/api/v1/stats` and the start-up page `/startup` of
 * `@startup/fastify` (which also drains on `server.startup.stop()`: readiness fails first, then `Connection:
 * close` on every response), and the events feature. The sample's own signal handling calls the stop.
 */
export async function mountRoutes(server: FastifyInstance, ctx: SampleContext): Promise<void> {
  await server.register(startupPlugin, {
    app: ctx.startup,
    monitor: withHistoryMetrics(ctx),
    apiKey: ctx.config.apiKey,
    service: ctx.config.serviceName,
    componentTypes,
    delayMs: ctx.config.shutdownDelayMs,
    timeoutMs: ctx.config.shutdownTimeoutMs,
    signals: [],
  });
  // Reports on the service itself (error messages of the start included) are masked as a last line of defence.
  // Nothing a client sends reaches them, so the mask cannot confirm a guess. Event answers are not masked: they
  // hold the client's own data, where a mask would be exactly such an oracle.
  const reports = new Set(Object.values(server.startup.routes.paths));
  // Polled bodies repeat while the health result is cached: the last one masked is reused, not masked again.
  let last = { payload: '', masked: '' };
  const masked = (payload: string) => {
    if (payload !== last.payload) last = { payload, masked: ctx.redact(payload) };
    return last.masked;
  };
  server.addHook('onSend', async (request, _reply, payload) =>
    typeof payload === 'string' && reports.has(request.routeOptions.url ?? '') ? masked(payload) : payload,
  );
  await server.register(async (scope) => {
    await eventRoutes(scope, ctx);
  });
}

/** The monitor, its `/metrics` followed by the history's failed writes (when there is a history). */
function withHistoryMetrics({ monitor, history, config }: SampleContext): Monitor {
  if (history === undefined) return monitor;
  const metrics: Monitor['metrics'] = (options) =>
    monitor.metrics(options) + historyMetrics(history, config.serviceName);
  return Object.assign(Object.create(monitor) as Monitor, { metrics });
}
