import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { ProbePhase } from '@startup/probes';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { replyWithoutEcho } from './error-replies.js';
import { strictJsonBodies } from './json-body.js';
import { eventRoutes } from './routes/events.js';
import type { SampleContext } from './sample-context.js';

/**
 * The Fastify instance, without routes yet, logging through `log` (the sample's logger, see `sampleLogger`), on
 * the web server that already listens (see `createWebServer`): Fastify never listens itself, `handler` receives
 * its request handler, to be handed the requests once Fastify is ready. Input is validated strictly (JSON bodies
 * only, other content types 415; raw bodies checked before parsing, see {@link strictJsonBodies}; no type
 * coercion, unknown fields rejected), and no answer repeats what the client sent (see {@link replyWithoutEcho}).
 */
export function createServer(
  log: FastifyBaseLogger,
  server: Server,
  handler: (handle: RequestListener) => void,
): FastifyInstance {
  const fastify = Fastify({
    loggerInstance: log,
    serverFactory: (handle) => {
      handler(handle);
      return server;
    },
    ajv: {
      // validateSchema: false skips compiling JSON Schema's meta-schema (~30 ms of a start) to check the routes'
      // own schemas, which are fixed in this code and exercised by its tests.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, validateSchema: false },
    },
  });
  // The API takes JSON only: without Fastify's built-in text/plain parser, every other type gets 415.
  fastify.removeContentTypeParser('text/plain');
  strictJsonBodies(fastify, ['type', 'payload']);
  replyWithoutEcho(fastify);
  return fastify;
}

/**
 * Mounts the sample's own routes, the events feature; `phase` gives the phase a request met (the routes answer
 * 503 unless it is `started`). The probes, `/metrics`, `/api/v1/stats` and `/startup` are served in front of
 * Fastify by the web server (see `createWebServer`).
 */
export async function mountRoutes(
  server: FastifyInstance,
  ctx: SampleContext,
  phase: (request: IncomingMessage) => ProbePhase,
): Promise<void> {
  await server.register(async (scope) => {
    await eventRoutes(scope, ctx, phase);
  });
}
