import { randomUUID } from 'node:crypto';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countedMarker } from '../src/record-event.js';
import { delay, eventually, type SampleProcess, spawnSample } from './sample-process.js';
import { withPg, withRedis } from './server-connections.js';

// POST /api/v1/events commits in PostgreSQL; publishing and counting come after. A retry with the same
// Idempotency-Key must find the event already stored, whatever failed after the commit.
describe('POST /api/v1/events with an Idempotency-Key, Redis failing after the commit', () => {
  let app: SampleProcess;
  let redis: FaultProxy;
  const ids = new Set<number>();
  const json = { 'content-type': 'application/json' };
  const post = async (body: unknown, key?: string) => {
    const res = await app.request('/api/v1/events', {
      method: 'POST',
      headers: key === undefined ? json : { ...json, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const answer = await res.json();
    if (res.status === 201) ids.add(answer.id);
    return { status: res.status, headers: res.headers, body: answer };
  };
  const countsKey = () => `${app.serviceName}:event-counts`;
  const countOf = (type: string) => withRedis(async (r) => Number((await r.hget(countsKey(), type)) ?? 0));
  const rowsWith = (key: string) =>
    withPg(
      async (pg) =>
        (await pg.query('SELECT id FROM sample_events WHERE idempotency_key = $1', [key])).rows as {
          id: string;
        }[],
    );

  beforeAll(async () => {
    redis = await createFaultProxy({ target: { host: '127.0.0.1', port: 6379 } });
    app = spawnSample({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    await app.ready();
  });
  afterAll(async () => {
    await redis.accept();
    redis.latency(0);
    expect(await app.stop()).toBe(0);
    await redis.close();
    await withPg((pg) => pg.query('DELETE FROM sample_events WHERE id = ANY($1)', [[...ids]]));
    await withRedis((r) => r.del(countsKey(), ...[...ids].map((id) => countedMarker(countsKey(), id))));
  });

  it('answers a retry with the same event and the same answer, and stores one row', async () => {
    const key = randomUUID();
    const first = await post({ type: 'same-key', payload: { n: 1 } }, key);
    const again = await post({ type: 'same-key', payload: { n: 1 } }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      type: 'same-key',
      counted: true,
      published: { seq: expect.any(Number) },
    });
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(first.headers.get('idempotent-replayed')).toBe(null);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsWith(key)).toEqual([{ id: String(first.body.id) }]);
    expect(await countOf('same-key')).toBe(1);
  });

  it('answers 422 to a key reused for another event, and stores nothing', async () => {
    const key = randomUUID();
    const first = await post({ type: 'reused', payload: { n: 1 } }, key);
    const other = await post({ type: 'reused', payload: { n: 2 } }, key);
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(other.body.message).toMatch(/^Idempotency-Key /);
    expect(await rowsWith(key)).toEqual([{ id: String(first.body.id) }]);
  });

  it.each([
    ['a space', 'has space'],
    ['129 characters', 'k'.repeat(129)],
    ['nothing', ''],
  ])('answers 400 naming the header to a key with %s, before storing anything', async (_case, key) => {
    const res = await post({ type: 'bad-key', payload: {} }, key);
    expect(res).toMatchObject({ status: 400, body: { code: 'INVALID_IDEMPOTENCY_KEY' } });
    expect(res.body.message).toMatch(/^Idempotency-Key header must be/);
    expect(
      await withPg(
        async (pg) => (await pg.query(`SELECT 1 FROM sample_events WHERE type = 'bad-key'`)).rowCount,
      ),
    ).toBe(0);
  });

  it('answers 201, not 503, once the row is stored while Redis is down; a retry counts it once', async () => {
    const key = randomUUID();
    let storedId: number | undefined;
    await redis.refuse();
    try {
      const during = await post({ type: 'redis-down', payload: { n: 1 } }, key);
      expect(during.status).toBe(201);
      expect(during.headers.get('retry-after')).toBe(null);
      expect(during.body).toMatchObject({
        type: 'redis-down',
        counted: false,
        published: { seq: expect.any(Number) },
      });
      // Without a key too: the event is stored, so the answer is not an error.
      const keyless = await post({ type: 'redis-down-keyless', payload: {} });
      expect(keyless).toMatchObject({ status: 201, body: { counted: false } });
      expect(await rowsWith(key)).toEqual([{ id: String(during.body.id) }]);
      storedId = during.body.id;
    } finally {
      await redis.accept();
    }
    let retried: Awaited<ReturnType<typeof post>> | undefined;
    await eventually(async () => {
      retried = await post({ type: 'redis-down', payload: { n: 1 } }, key);
      return retried.body.counted === true;
    }, 10_000);
    expect(retried!.status).toBe(201);
    expect(retried!.body.id).toBe(storedId);
    expect(await rowsWith(key)).toHaveLength(1);
    expect(await countOf('redis-down')).toBe(1);
  });

  it('counts once an increment Redis runs after the request stopped waiting for it', async () => {
    const key = randomUUID();
    // Slower than the 1 s the request waits for Redis: the increment arrives after the answer.
    redis.latency(1_500);
    let first: Awaited<ReturnType<typeof post>>;
    try {
      first = await post({ type: 'redis-slow', payload: {} }, key);
    } finally {
      redis.latency(0);
    }
    expect(first).toMatchObject({ status: 201, body: { counted: false } });
    const retried = await post({ type: 'redis-slow', payload: {} }, key);
    expect(retried).toMatchObject({ status: 201, body: { id: first.body.id, counted: true } });
    // Past the delayed increment's arrival: it found the event already counted.
    await delay(1_600);
    expect(await countOf('redis-slow')).toBe(1);
    expect(await rowsWith(key)).toHaveLength(1);
  });
});
