import type { Redis } from 'ioredis';
import type { EventStream, Published } from './events-stream.js';
import type { EventTable } from './events-table.js';
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

/** What {@link recordEvent} did with an event. */
export interface RecordedEvent {
  id: number;
  type: string;
  createdAt: string;
  /** How many events of this type have been recorded so far (Redis). */
  count: number;
  published: Published;
}

/** A backend failed while handling a request: the handler answers 503 naming it. */
export class ServiceUnavailableError extends Error {
  readonly service: string;
  constructor(service: string, cause: unknown) {
    super(`${service} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ServiceUnavailableError';
    this.service = service;
  }
}

/**
 * Stores an event in PostgreSQL (the record), then counts it in Redis and publishes it on JetStream in
 * parallel. The message id is the row id, so a retried publish is never stored twice in the stream.
 * A value PostgreSQL refuses (a data exception) rejects with an {@link InvalidEventError} (400); any
 * other failure with a {@link ServiceUnavailableError} (503) naming the service.
 */
export async function recordEvent(
  services: EventServices,
  countsKey: string,
  input: EventInput,
): Promise<RecordedEvent> {
  const stored = await services['events-table']
    .insert(input.type, input.payload)
    .catch((error) =>
      Promise.reject(
        isDataException(error)
          ? new InvalidEventError(`PostgreSQL cannot store this event: ${describe(error)}`, { cause: error })
          : new ServiceUnavailableError('postgres', error),
      ),
    );
  const [count, published] = await Promise.all([
    services.redis
      .hincrby(countsKey, input.type, 1)
      .catch((error) => Promise.reject(new ServiceUnavailableError('redis', error))),
    services['events-stream']
      .publish(
        input.type,
        { id: stored.id, type: input.type, createdAt: stored.createdAt, payload: input.payload },
        `event-${stored.id}`,
      )
      .catch((error) => Promise.reject(new ServiceUnavailableError('nats', error))),
  ]);
  return { ...stored, count, published };
}

/** Events counted so far, per type (Redis). */
export async function eventCounts(redis: Redis, countsKey: string): Promise<Record<string, number>> {
  const raw = await redis
    .hgetall(countsKey)
    .catch((error) => Promise.reject(new ServiceUnavailableError('redis', error)));
  return Object.fromEntries(Object.entries(raw).map(([type, n]) => [type, Number(n)]));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
