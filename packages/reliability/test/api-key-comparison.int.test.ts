import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleProcess, spawnSample } from './sample-app.js';

// The API key comparison is constant-time by construction: both keys are hashed with SHA-256 and the
// 32-byte digests compared with timingSafeEqual, whatever the presented key's length, on every request
// that carries a key. Checked on the built app running as a process, by recording what it hands to
// timingSafeEqual (a preloaded wrapper, compare-spy.mjs), never by timing it.

const key = 'reliability-api-key-0123456789';
// fetch trims a header value's surrounding spaces and sends one byte per character: no such keys here.
const presented = [
  '',
  'a',
  key.slice(0, -1),
  `${key.slice(0, -1)}X`,
  key.toUpperCase(),
  key,
  `${key}${key}`,
  'ü'.repeat(40),
  'k'.repeat(10_000),
];
const spy = fileURLToPath(new URL('./compare-spy.mjs', import.meta.url));

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The sample app with `apiKey` (or none), whose timingSafeEqual calls are recorded. */
async function spiedSample(apiKey: string | undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-compare-'));
  const file = join(dir, 'compares.jsonl');
  const app = spawnSample({ API_KEY: apiKey, COMPARE_SPY_FILE: file, NODE_OPTIONS: `--import=${spy}` });
  const compares = async (): Promise<[string, string][]> => {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  };
  return {
    app,
    compares,
    async close() {
      await app.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('the API key comparison of the running app', () => {
  let spied: Awaited<ReturnType<typeof spiedSample>>;
  let app: SampleProcess;
  beforeAll(async () => {
    spied = await spiedSample(key);
    app = spied.app;
    await app.ready();
  });
  afterAll(() => spied?.close());

  it('compares the SHA-256 digests of both keys with timingSafeEqual once per request, whatever the length, and answers 401 unless they match', async () => {
    for (const candidate of presented) {
      const before = (await spied.compares()).length;
      const res = await app.request('/api/v1/stats', { headers: { 'x-api-key': candidate } });
      const body = await res.text();
      expect({ length: candidate.length, status: res.status }).toEqual({
        length: candidate.length,
        status: candidate === key ? 200 : 401,
      });
      const calls = (await spied.compares()).slice(before);
      expect(calls).toEqual([[sha256(candidate), sha256(key)]]);
      // A 401 never echoes what was presented.
      if (candidate !== key && candidate.length >= 8) expect(body).not.toContain(candidate);
    }
  });

  it('compares nothing for a request without a key', async () => {
    const before = (await spied.compares()).length;
    expect((await app.request('/api/v1/stats')).status).toBe(401);
    expect((await spied.compares()).slice(before)).toEqual([]);
  });
});

describe('the running app without API_KEY', () => {
  it('answers 403 to every request, whatever the key, and compares nothing', async () => {
    const spied = await spiedSample(undefined);
    try {
      await spied.app.ready();
      for (const candidate of [undefined, ...presented]) {
        const headers: Record<string, string> = candidate === undefined ? {} : { 'x-api-key': candidate };
        expect((await spied.app.request('/api/v1/stats', { headers })).status).toBe(403);
      }
      expect(await spied.compares()).toEqual([]);
    } finally {
      await spied.close();
    }
  });
});
