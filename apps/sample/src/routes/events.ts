import type { FastifyInstance, FastifyReply } from 'fastify';
import { InvalidEventError, unstorableAt, unstorableMessage } from '../invalid-event.js';
import { type EventInput, eventCounts, recordEvent } from '../record-event.js';
import type { SampleContext } from '../sample-context.js';

/** The body of `POST /api/v1/events`, as JSON schema: Fastify validates it and answers 400 naming the field. */
const eventBody = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'payload'],
  properties: {
    type: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_-]{0,63}$',
      description: 'lower-case letters, digits, "_" or "-", starting with a letter; at most 64',
    },
    payload: { type: 'object', maxProperties: 100 },
  },
} as const;

/** Largest accepted body, in bytes; larger ones get 413. */
const bodyLimit = 16 * 1024;

/**
 * The sample feature, which uses all three services: `POST /api/v1/events` records an event in
 * PostgreSQL, counts it per type in Redis and publishes it on JetStream; `GET /api/v1/events/counts`
 * reads the counts. Both answer 503 until the start completed and while shutting down, and when a
 * service fails; an event that cannot be stored as sent (text jsonb cannot hold, a number too large for a
 * double) gets 400 (`INVALID_EVENT`) naming where it is.
 */
export async function eventRoutes(server: FastifyInstance, ctx: SampleContext): Promise<void> {
  const countsKey = `${ctx.config.serviceName}:event-counts`;
  const whenStarted = async (_request: unknown, reply: FastifyReply) => {
    if (ctx.lifecycle.phase !== 'started') {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({
          statusCode: 503,
          code: 'NOT_READY',
          error: 'Service Unavailable',
          message: `The service is ${ctx.lifecycle.phase}`,
        });
    }
  };

  server.post<{ Body: EventInput }>(
    '/api/v1/events',
    { schema: { body: eventBody }, bodyLimit, onRequest: whenStarted },
    async (request, reply) => {
      // JSON can carry text jsonb cannot hold, and numbers that parse to Infinity; the schema cannot say so.
      const unstorable = unstorableAt(request.body.payload, 'body/payload');
      if (unstorable !== undefined) throw new InvalidEventError(unstorableMessage(unstorable));
      const recorded = await recordEvent(ctx.startup.resources, countsKey, request.body);
      return reply.code(201).send(recorded);
    },
  );

  server.get('/api/v1/events/counts', { onRequest: whenStarted }, async () => {
    const counts = await eventCounts(ctx.startup.resources.redis, countsKey);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { counts, total };
  });
}
