import { createRequire } from 'node:module';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ClientError } from './client-error.js';
import { ServiceUnavailableError } from './record-event.js';

// Through require, not an ES import: importing node:http as an ES module makes Node evaluate every export of it,
// the WebSocket classes among them, which load undici (measured on Node 24: ~30–45 ms of a start, against ~4 ms).
const { STATUS_CODES } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

/** Fastify's errors whose message is a constant sentence, safe to show. */
const constantMessages = new Set([
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_JSON_BODY',
]);

/**
 * Replaces Fastify's error and not-found handlers, which quote the request (`Route GET:/x?g=… not found`,
 * `'…' is not a valid url component`). No answer repeats anything the client sent: a 404 says "Not found",
 * a validation error names the field and the rule (its message is built from the schema), our own
 * {@link ClientError}s name the field or header, any other 4xx says its status text, a 5xx "Internal error".
 * So masking secrets in a response can never tell a client whether a guess was right.
 */
export function replyWithoutEcho(server: FastifyInstance): void {
  server.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'Not found' }),
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
    const title = STATUS_CODES[statusCode] ?? 'Error';
    const shown =
      error instanceof ClientError || error.validation !== undefined || constantMessages.has(error.code);
    return reply.code(statusCode).send({
      statusCode,
      code: error.code ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
      error: title,
      message: statusCode >= 500 ? 'Internal error' : shown ? error.message : title,
    });
  });
}
