import { createHash, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiKeyMatcher } from '../../../apps/sample/src/api-key.js';
import type { Config } from '../../../apps/sample/src/config.js';
import { statsRoutes } from '../../../apps/sample/src/routes/stats.js';
import type { SampleContext } from '../../../apps/sample/src/sample-context.js';
import { createServer } from '../../../apps/sample/src/server.js';

// The API key comparison is constant-time by construction: both keys are hashed with SHA-256 and the
// 32-byte digests compared with timingSafeEqual, whatever the presented key's length, on every request
// that carries a key. Checked on the implementation (spying on node:crypto), never by timing it.

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, createHash: vi.fn(real.createHash), timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const key = 'reliability-api-key-0123456789';
const presented = [
  '',
  'a',
  key.slice(0, -1),
  `${key.slice(0, -1)}X`,
  key.toUpperCase(),
  key,
  `${key} `,
  'ü'.repeat(40),
  'k'.repeat(10_000),
];

afterEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
  vi.mocked(createHash).mockClear();
});

describe('the API key comparison', () => {
  it('hashes both keys with SHA-256 and compares equal-length digests with timingSafeEqual, whatever the length', () => {
    const matches = apiKeyMatcher(key);
    for (const candidate of presented) {
      vi.mocked(timingSafeEqual).mockClear();
      vi.mocked(createHash).mockClear();
      expect(matches(candidate)).toBe(candidate === key);
      expect(vi.mocked(createHash).mock.calls).toEqual([['sha256']]);
      const calls = vi.mocked(timingSafeEqual).mock.calls;
      expect(calls).toHaveLength(1);
      const [a, b] = calls[0]! as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
      expect(b.equals(createHashOf(key))).toBe(true);
    }
  });

  it('is what GET /api/v1/stats runs on every request that carries a key, and answers 401 unless it matches', async () => {
    const server = createServer({ logLevel: 'silent' } as Config, (text) => text);
    await statsRoutes(server, fakeContext(key));
    for (const candidate of presented) {
      vi.mocked(timingSafeEqual).mockClear();
      const res = await server.inject({
        method: 'GET',
        url: '/api/v1/stats',
        headers: { 'x-api-key': candidate },
      });
      expect(res.statusCode).toBe(candidate === key ? 200 : 401);
      expect(vi.mocked(timingSafeEqual)).toHaveBeenCalledTimes(1);
      // A 401 never echoes what was presented.
      if (candidate !== key && candidate.length >= 8) expect(res.body).not.toContain(candidate);
    }
    await server.close();
  });

  it('answers 403 to every request, whatever the key, when no key is configured', async () => {
    const server = createServer({ logLevel: 'silent' } as Config, (text) => text);
    await statsRoutes(server, fakeContext(undefined));
    for (const candidate of [undefined, ...presented]) {
      const headers = candidate === undefined ? {} : { 'x-api-key': candidate };
      const res = await server.inject({ method: 'GET', url: '/api/v1/stats', headers });
      expect(res.statusCode).toBe(403);
    }
    expect(vi.mocked(timingSafeEqual)).not.toHaveBeenCalled();
    await server.close();
  });
});

function createHashOf(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Only what the stats route reads, with plain values: the route's guard is under test, not the report. */
function fakeContext(apiKey: string | undefined): SampleContext {
  return {
    config: { apiKey, serviceName: 'reliability' },
    lifecycle: { phase: 'started' },
    startup: { health: async () => ({}), report: () => ({}) },
    monitor: {
      analysis: () => ({}),
      recommendations: () => [],
      healthPayload: () => ({}),
      trend: () => undefined,
    },
  } as unknown as SampleContext;
}
