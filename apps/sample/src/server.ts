import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { type LogOutput, loggerOptions } from './logger.js';
import { ServiceUnavailableError } from './record-event.js';
import type { Redact } from './redaction.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { statsRoutes } from './routes/stats.js';
import type { SampleContext } from './sample-context.js';

/**
 * The Fastify instance, without routes yet: its pino logger is needed before the start is created.
 * Input is validated strictly (JSON bodies only, other content types 415; no type coercion, unknown fields
 * rejected), every response body passes through `redact`, and a closing server answers 503 while in-flight
 * requests finish. Log lines go to `output` (defaults to stdout).
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
  server.addHook('onSend', async (_request, _reply, payload) =>
    typeof payload === 'string' ? redact(payload) : payload,
  );
  server.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ServiceUnavailableError) {
      request.log.warn({ service: error.service, err: error }, 'backend failed during a request');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          error: 'Service Unavailable',
          message: `${error.service} is unavailable, try again later`,
          service: error.service,
        });
    }
    const statusCode = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(statusCode).send({
      statusCode,
      code: error.code ?? 'INTERNAL_ERROR',
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: statusCode >= 500 ? 'Internal error' : error.message,
    });
  });
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
  await server.register(async (scope) => {
    await healthRoutes(scope, ctx);
    await statsRoutes(scope, ctx);
    await metricsRoutes(scope, ctx);
    await eventRoutes(scope, ctx);
  });
}
