import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ClientError } from './client-error.js';
import type { EventStream } from './events-stream.js';
import type { EventTable, StoredEvent } from './events-table.js';
import { InvalidEventError, isDataException } from './invalid-event.js';

/** What {@link recordEvent} needs: the started resources it touches. */
export interface EventServices {
  'events-table': EventTable;
  'events-stream': EventStream;
  redis: Redis;
}

/** An event as a client posts it. */
export interface EventInput {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * What {@link recordEvent} did with an event: the stored event and the after-commit work done for it so
 * far. The same for every request with the same `Idempotency-Key`, except that work failed earlier may
 * have been done since.
 */
export interface RecordedEvent {
  id: number;
  type: string;
  /** ISO 8601, when PostgreSQL stored it. */
  createdAt: string;
  /** Where it was published on JetStream, or `null` when that has not succeeded (yet). */
  published: { stream: string; seq: number } | null;
  /** Whether it has been counted in Redis. */
  counted: boolean;
}

/** How {@link recordEvent} runs. */
export interface RecordOptions {
  /** The client's `Idempotency-Key`, already validated. */
  idempotencyKey?: string;
  /** Longest wait for each after-commit step (publish, count), in milliseconds. Defaults to 1000. */
  stepTimeoutMs?: number;
  /** Where a failed after-commit step is reported. */
  onStepFailed?: (step: 'publish' | 'count', error: unknown) => void;
}

/** How long a marker keeps a counted event from being counted again, in seconds: one day. */
export const countedMarkerTtlSeconds = 86_400;

/** A backend failed before the event was stored: the handler answers 503 naming it. */
export class ServiceUnavailableError extends Error {
  readonly service: string;
  constructor(service: string, cause: unknown) {
    super(`${service} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ServiceUnavailableError';
    this.service = service;
  }
}

// Counts an event once, however often it is asked: a retried request, or an increment ioredis sends after
// the request stopped waiting for it, finds the marker and counts nothing.
const countOnce = `if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
end
return 0`;

/**
 * Records an event. The PostgreSQL insert is the commit point: once the row is stored the event is
 * recorded, and the answer says so (never a 503 that would make a client send it again). Publishing on
 * JetStream (message id `event-<id>`, de-duplicated by the stream) and counting in Redis (once per event
 * id, see `countOnce`) are after-commit steps, each bounded by `stepTimeoutMs`; one that fails is reported
 * to `onStepFailed`, shown in the result, and done again by a retry with the same `Idempotency-Key`.
 *
 * Before the commit, a value PostgreSQL refuses (a data exception) rejects with an
 * {@link InvalidEventError} (400), any other failure with a {@link ServiceUnavailableError} (503);
 * a key already used for another event rejects with a 422 {@link ClientError}.
 */
export async function recordEvent(
  services: EventServices,
  countsKey: string,
  input: EventInput,
  options: RecordOptions = {},
): Promise<{ event: RecordedEvent; replayed: boolean }> {
  const { idempotencyKey, stepTimeoutMs = 1_000, onStepFailed = () => {} } = options;
  const requestHash =
    idempotencyKey === undefined
      ? undefined
      : createHash('sha256')
          .update(JSON.stringify([input.type, input.payload]))
          .digest('hex');
  const stored = await services['events-table']
    .insert({
      type: input.type,
      payload: input.payload,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey, requestHash }),
    })
    .catch((error) =>
      Promise.reject(
        isDataException(error)
          ? new InvalidEventError(
              `body/payload: PostgreSQL cannot store this value (SQLSTATE ${(error as { code: string }).code})`,
              { cause: error },
            )
          : new ServiceUnavailableError('postgres', error),
      ),
    );
  if (!stored.created && stored.requestHash !== requestHash) {
    throw new ClientError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'Idempotency-Key was already used for a different event: use a new key for a new event',
    );
  }
  const event = stored.event;
  const stream = services['events-stream'];
  const [published, counted] = await Promise.all([
    event.publishedSeq !== null
      ? event.publishedSeq
      : within(stepTimeoutMs, publish(stream, event, input)).then(
          (ack) => ack.seq,
          (error) => failed(onStepFailed, 'publish', error),
        ),
    event.counted ||
      within(stepTimeoutMs, count(services.redis, countsKey, event)).then(
        () => true,
        (error) => failed(onStepFailed, 'count', error) ?? false,
      ),
  ]);
  const newlyPublished = event.publishedSeq === null && published !== undefined;
  if (newlyPublished || (counted && !event.counted)) {
    await services['events-table']
      .markDone(event.id, { ...(newlyPublished ? { publishedSeq: published } : {}), counted })
      // Only bookkeeping: a retry would redo the step, which both de-duplicate.
      .catch((error) => onStepFailed(newlyPublished ? 'publish' : 'count', error));
  }
  return {
    event: {
      id: event.id,
      type: event.type,
      createdAt: event.createdAt,
      published: published === undefined ? null : { stream: stream.stream, seq: published },
      counted,
    },
    replayed: !stored.created,
  };
}

/** Events counted so far, per type (Redis). */
export async function eventCounts(redis: Redis, countsKey: string): Promise<Record<string, number>> {
  const raw = await redis
    .hgetall(countsKey)
    .catch((error) => Promise.reject(new ServiceUnavailableError('redis', error)));
  return Object.fromEntries(Object.entries(raw).map(([type, n]) => [type, Number(n)]));
}

/** The key whose presence says event `id` has been counted. */
export function countedMarker(countsKey: string, id: number): string {
  return `${countsKey}:counted:${id}`;
}

function publish(stream: EventStream, event: StoredEvent, input: EventInput) {
  const message = { id: event.id, type: event.type, createdAt: event.createdAt, payload: input.payload };
  return stream.publish(event.type, message, `event-${event.id}`);
}

function count(redis: Redis, countsKey: string, event: StoredEvent) {
  return redis.eval(
    countOnce,
    2,
    countsKey,
    countedMarker(countsKey, event.id),
    event.type,
    countedMarkerTtlSeconds,
  );
}

function failed(
  report: NonNullable<RecordOptions['onStepFailed']>,
  step: 'publish' | 'count',
  error: unknown,
): undefined {
  report(step, error);
  return undefined;
}

/** `work`, or a rejection once `ms` passed; the work itself is left to finish or fail on its own. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
