import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { replyWithoutEcho } from './error-replies.js';
import { strictJsonBodies } from './json-body.js';
import { type LogOutput, loggerOptions } from './logger.js';
import type { Redact } from './redaction.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { statsRoutes } from './routes/stats.js';
import type { SampleContext } from './sample-context.js';

/**
 * The Fastify instance, without routes yet: its pino logger is needed before the start is created.
 * Input is validated strictly (JSON bodies only, other content types 415; raw bodies checked before parsing,
 * see {@link strictJsonBodies}; no type coercion, unknown fields rejected), no answer repeats what the
 * client sent (see {@link replyWithoutEcho}), every log line passes through `redact`, and a closing server
 * answers 503 while in-flight requests finish. Log lines go
 * to `output` (defaults to stdout).
 */
export function createServer(config: Config, redact: Redact, output?: LogOutput): FastifyInstance {
  const server = Fastify({
    logger: loggerOptions(config.logLevel, redact, output),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  // The API takes JSON only: without Fastify's built-in text/plain parser, every other type gets 415.
  server.removeContentTypeParser('text/plain');
  strictJsonBodies(server, ['type', 'payload']);
  replyWithoutEcho(server);
  return server;
}

/** Mounts every route of the sample: health and probes, stats, metrics and the events feature. */
export async function mountRoutes(server: FastifyInstance, ctx: SampleContext): Promise<void> {
  // Once shutdown began, each response closes its connection: a keep-alive client would otherwise hold
  // the server open after the last in-flight request finished.
  server.addHook('onSend', async (_request, reply, payload) => {
    if (ctx.lifecycle.phase === 'stopping') reply.header('connection', 'close');
    return payload;
  });
  await server.register(async (reports) => {
    // Reports on the service itself (error messages of the start included) are masked as a last line of
    // defence. Nothing a client sends reaches them, so the mask cannot confirm a guess. Event answers are
    // not masked: they hold the client's own data, where a mask would be exactly such an oracle.
    reports.addHook('onSend', async (_request, _reply, payload) =>
      typeof payload === 'string' ? ctx.redact(payload) : payload,
    );
    await healthRoutes(reports, ctx);
    await statsRoutes(reports, ctx);
    await metricsRoutes(reports, ctx);
  });
  await server.register(async (scope) => {
    await eventRoutes(scope, ctx);
  });
}
