import { createFaultProxy } from '@startup/fault-proxy';
import { addressOf, postgresUrl } from '@startup/test-kit';
import { describe, expect, it } from 'vitest';
import { spawnSample } from './sample-app.js';
import { waitFor } from './wait-for.js';

// GET /api/v1/stats through every way a key can be presented, while the app starts and once it started,
// and with API_KEY set empty. Extends apps/sample/test/endpoints.test.ts (missing, wrong, shorter, longer,
// empty and random keys once started; API_KEY unset) with other headers, the query string, repeated
// headers, a huge key, the starting phase and an empty API_KEY.

const key = 'reliability-auth-key-0123456789';

/** How a key is presented, and the status it must get. */
const presentations: Array<[string, () => RequestInit | string, number]> = [
  ['no key', () => ({}), 401],
  ['the key in X-API-Key', () => ({ headers: { 'x-api-key': key } }), 200],
  [
    'the key in X-API-KEY (header names are case-insensitive)',
    () => ({ headers: { 'X-API-KEY': key } }),
    200,
  ],
  ['a wrong key of the same length', () => ({ headers: { 'x-api-key': `${key.slice(0, -1)}#` } }), 401],
  ['the key upper-cased', () => ({ headers: { 'x-api-key': key.toUpperCase() } }), 401],
  ['the key minus its last character', () => ({ headers: { 'x-api-key': key.slice(0, -1) } }), 401],
  ['the key twice', () => ({ headers: { 'x-api-key': key + key } }), 401],
  [
    'the key sent twice as two headers',
    () => ({
      headers: [
        ['x-api-key', key],
        ['x-api-key', key],
      ],
    }),
    401,
  ],
  ['the key as a bearer token', () => ({ headers: { authorization: `Bearer ${key}` } }), 401],
  ['the key in the query string', () => `/api/v1/stats?api_key=${key}&x-api-key=${key}`, 401],
  ['a 12 KiB key', () => ({ headers: { 'x-api-key': 'k'.repeat(12 * 1024) } }), 401],
];

async function ask(
  request: (path: string, init?: RequestInit) => Promise<Response>,
  how: () => RequestInit | string,
) {
  const presented = how();
  const res =
    typeof presented === 'string' ? await request(presented) : await request('/api/v1/stats', presented);
  return { status: res.status, body: await res.text() };
}

describe('GET /api/v1/stats', () => {
  it('accepts the key only in X-API-Key, exactly, while the app starts and once it started', async () => {
    const proxy = await createFaultProxy({ target: addressOf(postgresUrl) });
    await proxy.refuse();
    const app = spawnSample({
      API_KEY: key,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
    });
    try {
      await app.port();
      for (const phase of ['starting', 'started']) {
        if (phase === 'started') {
          await proxy.accept();
          await app.ready();
        }
        for (const [label, how, status] of presentations) {
          const { status: got, body } = await ask(app.request, how);
          expect({ phase, label, status: got }).toEqual({ phase, label, status });
          if (status === 200) expect(JSON.parse(body).phase).toBe(phase);
          else expect(body).not.toContain(key);
        }
      }
      expect(app.stdout()).not.toContain(key);
    } finally {
      await app.stop();
      await proxy.close();
    }
  });

  it('is disabled (403, whatever is presented) when API_KEY is set empty', async () => {
    const app = spawnSample({ API_KEY: '' });
    try {
      await app.ready();
      for (const [label, how] of presentations) {
        const { status } = await ask(app.request, how);
        expect({ label, status }).toEqual({ label, status: 403 });
      }
      await waitFor('the warning at start', () =>
        app.logs().some((line) => String(line.msg).includes('API_KEY is not set')),
      );
    } finally {
      await app.stop();
    }
  });
});
