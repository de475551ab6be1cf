import type { IncomingMessage } from 'node:http';
import type { ProbePhase } from '@startup/probes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClientError } from '../client-error.js';
import { type EventInput, eventCounts, recordEvent } from '../record-event.js';
import type { SampleContext } from '../sample-context.js';
import { notReadyBody } from '../web-server.js';

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

/** An `Idempotency-Key`: 1 to 128 printable ASCII characters, no spaces (a UUID fits). */
const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;

/** The request's `Idempotency-Key`, `undefined` when absent; a malformed one is a 400 naming the header. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && idempotencyKeyPattern.test(value)) return value;
  throw new ClientError(
    400,
    'INVALID_IDEMPOTENCY_KEY',
    'Idempotency-Key header must be 1 to 128 printable ASCII characters without spaces',
  );
}

/**
 * The sample feature, which uses all three services: `POST /api/v1/events` records an event in
 * PostgreSQL (the commit point), then publishes it on JetStream and counts it per type in Redis (after-commit
 * steps that never turn a stored event into an error); `GET /api/v1/events/counts` reads the counts. An
 * `Idempotency-Key` makes a retry return the event already stored. Both answer 503 until the start completed
 * and while shutting down, and when a service fails before anything was stored; a body that cannot be
 * stored as sent gets 400 (`INVALID_EVENT`) naming the field. See the README for the semantics.
 */
export async function eventRoutes(
  server: FastifyInstance,
  ctx: SampleContext,
  probePhase: (request: IncomingMessage) => ProbePhase,
): Promise<void> {
  const countsKey = `${ctx.config.serviceName}:event-counts`;
  const whenStarted = async (request: FastifyRequest, reply: FastifyReply) => {
    const phase = probePhase(request.raw);
    if (phase !== 'started') {
      return reply.code(503).header('retry-after', '1').send(notReadyBody(phase));
    }
  };

  server.post<{ Body: EventInput }>(
    '/api/v1/events',
    { schema: { body: eventBody }, bodyLimit, onRequest: whenStarted },
    async (request, reply) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { event, replayed } = await recordEvent(ctx.startup.resources, countsKey, request.body, {
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        onStepFailed: (step, err) =>
          request.log.warn({ step, err }, 'event stored; an after-commit step failed (a retry redoes it)'),
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(event);
    },
  );

  server.get('/api/v1/events/counts', { onRequest: whenStarted }, async () => {
    const counts = await eventCounts(ctx.startup.resources.redis, countsKey);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { counts, total };
  });
}
