import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countedMarker } from '../src/record-event.js';
import { type SampleProcess, spawnSample } from './sample-process.js';
import { withPg, withRedis } from './server-connections.js';

describe('the events feature (PostgreSQL + Redis + JetStream)', () => {
  let app: SampleProcess;
  const ids: number[] = [];
  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.request('/api/v1/events', {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    app = spawnSample();
    await app.ready();
  });
  afterAll(async () => {
    expect(await app.stop()).toBe(0);
    await withPg((pg) => pg.query('DELETE FROM sample_events WHERE id = ANY($1)', [ids]));
    const countsKey = `${app.serviceName}:event-counts`;
    await withRedis((redis) => redis.del(countsKey, ...ids.map((id) => countedMarker(countsKey, id))));
  });

  it('records an event in PostgreSQL, counts it in Redis and publishes it on JetStream', async () => {
    const res = await post({ type: 'signup', payload: { user: 'ada', plan: 'pro' } });
    expect(res.status).toBe(201);
    const body = await res.json();
    ids.push(body.id);
    expect(body).toMatchObject({
      type: 'signup',
      counted: true,
      published: { stream: 'STARTUP_SAMPLE_EVENTS' },
    });

    const row = await withPg(
      async (pg) =>
        (await pg.query('SELECT type, payload FROM sample_events WHERE id = $1', [body.id])).rows[0],
    );
    expect(row).toEqual({ type: 'signup', payload: { user: 'ada', plan: 'pro' } });

    const nc = await connect({ servers: '127.0.0.1:4222' });
    try {
      const jsm = await jetstreamManager(nc);
      const message = await jsm.streams.getMessage('STARTUP_SAMPLE_EVENTS', { seq: body.published.seq });
      expect(message?.subject).toBe('startup-sample.events.signup');
      expect(message?.json<any>()).toMatchObject({
        id: body.id,
        type: 'signup',
        payload: { user: 'ada', plan: 'pro' },
      });
    } finally {
      await nc.close();
    }
  });

  it('counts events per type', async () => {
    for (const type of ['login', 'login', 'logout']) {
      const res = await post({ type, payload: {} });
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    const res = await app.request('/api/v1/events/counts');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ counts: { signup: 1, login: 2, logout: 1 }, total: 4 });
  });

  it.each([
    ['a missing type', { payload: {} }, /type/],
    ['a missing payload', { type: 'signup' }, /payload/],
    ['a type with upper case and spaces', { type: 'Sign Up', payload: {} }, /type/],
    ['a type with a NATS wildcard', { type: 'a.>', payload: {} }, /type/],
    ['a type too long', { type: `a${'b'.repeat(64)}`, payload: {} }, /type/],
    ['a number as type (no coercion)', { type: 42, payload: {} }, /type/],
    ['a boolean as type (no coercion)', { type: true, payload: {} }, /type/],
    ['an array as payload', { type: 'signup', payload: [1, 2] }, /payload/],
    ['a string as payload', { type: 'signup', payload: 'x' }, /payload/],
    ['an unknown field', { type: 'signup', payload: {}, admin: true }, /additional properties/],
    ['an array as body', [{ type: 'signup', payload: {} }], /body/],
  ])('answers 400 naming the field to %s', async (_case, body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = await res.json();
    expect(error).toMatchObject({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request' });
    expect(error.message).toMatch(field);
  });

  it.each([
    ['a NUL character in a string', '{"type":"ok","payload":{"s":"a\\u0000b"}}', 31],
    ['a NUL character in a key', '{"type":"ok","payload":{"a\\u0000":1}}', 27],
    ['a lone high surrogate', '{"type":"ok","payload":{"s":"\\ud800"}}', 30],
    ['a lone low surrogate, nested', '{"type":"ok","payload":{"l":[{"s":"x\\udc00"}]}}', 37],
  ])('answers 400 naming where to text PostgreSQL cannot store: %s', async (_case, body, at) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = await res.json();
    expect(error).toMatchObject({ statusCode: 400, code: 'INVALID_EVENT', error: 'Bad Request' });
    expect(error.message).toBe(
      `body/payload, at character ${at}: a NUL character (\\u0000) or an unpaired surrogate, which PostgreSQL cannot store`,
    );
  });

  it.each([
    ['text/plain', '{"type":"signup","payload":{}}'],
    ['text/plain; charset=utf-8', 'signup'],
    ['application/x-www-form-urlencoded', 'type=signup'],
  ])('answers 415 to a body of type %s, whatever it holds', async (type, body) => {
    const res = await post(body, { 'content-type': type });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
  });

  it.each([
    ['a number too large for a double', '{"type":"ok","payload":{"a":1e400}}', /too large for a double/],
    ['a negative one, nested', '{"type":"ok","payload":{"l":[1,{"b":-1e400}]}}', /too large for a double/],
    [
      'a non-zero number that underflows to 0',
      '{"type":"ok","payload":{"a":1e-400}}',
      /would be stored as 0/,
    ],
    ['an integer beyond 2^53', '{"type":"ok","payload":{"id":9007199254740993}}', /MAX_SAFE_INTEGER/],
    ['more digits than a double holds', '{"type":"ok","payload":{"pi":3.14159265358979323846}}', /rounded/],
  ])('answers 400 naming the field to %s rather than store another number', async (_case, body, why) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = await res.json();
    expect(error).toMatchObject({ statusCode: 400, code: 'INVALID_EVENT', error: 'Bad Request' });
    expect(error.message).toMatch(/^body\/payload, at character \d+: /);
    expect(error.message).toMatch(why);
  });

  it('answers 400 to a body that is not valid UTF-8 rather than store U+FFFD in its place', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"type":"ok","payload":{"s":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}'),
    ]);
    const res = await app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'INVALID_EVENT',
      message: expect.stringMatching(/^body is not valid UTF-8/),
    });
  });

  it('answers 400 saying why to 4,111 levels of nested arrays (8 KB), before touching any service', async () => {
    const depth = 4_111;
    const res = await post(`{"type":"deep","payload":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'INVALID_EVENT',
      message: 'body/payload, at character 62: objects and arrays nest deeper than 32 levels',
    });
    const limit = await post(`{"type":"deep","payload":${'{"a":'.repeat(31)}{}${'}'.repeat(31)}}`);
    expect(limit.status).toBe(201);
    ids.push((await limit.json()).id);
  });

  it('stores a string with a surrogate pair and any other character', async () => {
    const payload = { s: 'emoji \ud83d\ude00, tab \t, bell \u0007, é' };
    const res = await post({ type: 'unicode', payload });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    ids.push(id);
    const row = await withPg(
      async (pg) => (await pg.query('SELECT payload FROM sample_events WHERE id = $1', [id])).rows[0],
    );
    expect(row).toEqual({ payload });
  });

  it('answers 400 to malformed JSON, 415 to another content type and 413 to a body over 16 KiB', async () => {
    const malformed = await post('{"type": "signup", ');
    expect(malformed.status).toBe(400);
    const text = await post('type=signup', { 'content-type': 'text/csv' });
    expect(text.status).toBe(415);
    const large = await post({ type: 'signup', payload: { blob: 'x'.repeat(17 * 1024) } });
    expect(large.status).toBe(413);
  });

  it('stored nothing for any rejected request', async () => {
    const res = await app.request('/api/v1/events/counts');
    // The four counted above, the one at the depth limit and the unicode one.
    expect((await res.json()).total).toBe(6);
  });

  it('answers any body with 201 or a 4xx, never a server error', async () => {
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          type: fc.oneof(fc.string(), fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/)),
          payload: fc.jsonValue(),
        })
        .map((v) => JSON.stringify(v)),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await post(text);
        if (res.status === 201) ids.push((await res.json()).id);
        else await res.body?.cancel();
        expect([201, 400, 413]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});
