import { readFile } from 'node:fs/promises';
import { createFaultProxy } from '@startup/fault-proxy';
import { describe, expect, it } from 'vitest';
import { spawnSample } from './sample-process.js';
import { withPg, withRedis } from './server-connections.js';

const password = 's3cret-pw';
const apiKey = 'e2e-secret-key-9f8e7d6c5b4a';
const databaseUrl = (port = 5432) => `postgres://postgres:${password}@127.0.0.1:${port}/test`;

async function historyText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

describe('secrets', () => {
  it('never show the database password or the API key in any response, log line or the history', async () => {
    const app = spawnSample({ DATABASE_URL: databaseUrl(), API_KEY: apiKey, LOG_LEVEL: 'trace' });
    const seen: string[] = [];
    let id: number | undefined;
    try {
      await app.ready();
      const json = { 'content-type': 'application/json' };
      const requests: [string, RequestInit?][] = [
        ['/health'],
        ['/health/live'],
        ['/health/ready'],
        ['/health/startup'],
        ['/metrics'],
        ['/startup'],
        ['/api/v1/stats', { headers: { 'x-api-key': apiKey } }],
        ['/api/v1/stats', { headers: { 'x-api-key': `${apiKey}x` } }],
        ['/api/v1/stats'],
        [
          '/api/v1/events',
          { method: 'POST', headers: json, body: JSON.stringify({ type: 'secret', payload: {} }) },
        ],
        ['/api/v1/events', { method: 'POST', headers: json, body: '{"type": 1}' }],
        ['/api/v1/events/counts'],
      ];
      for (const [path, init] of requests) {
        const res = await app.request(path, init);
        const body = await res.text();
        if (path === '/api/v1/events' && res.status === 201) id = JSON.parse(body).id;
        seen.push(`${path} ${res.status} ${[...res.headers].join(' ')} ${body}`);
      }
      expect(seen.find((s) => s.startsWith('/api/v1/stats 200'))).toContain('"phase":"started"');
      // The start-up page shows the start (the database URL among it), masked like the other reports.
      expect(seen.find((s) => s.startsWith('/startup 200'))).toContain('content-type,text/html');
    } finally {
      expect(await app.stop()).toBe(0);
      if (id !== undefined) await withPg((pg) => pg.query('DELETE FROM sample_events WHERE id = $1', [id]));
      await withRedis((redis) => redis.del(`${app.serviceName}:event-counts`));
    }
    const history = await historyText(app.historyFile);
    expect(history).toContain('"status":"ready"');
    // The database URL is logged, without its password.
    expect(app.stdout()).toContain('"target":"postgres://postgres@127.0.0.1:5432/test"');
    for (const text of [...seen, app.stdout(), app.stderr(), history]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(apiKey);
    }
  });

  it('never show the password when the start fails on the deadline', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    await proxy.refuse();
    const app = spawnSample({
      DATABASE_URL: databaseUrl(proxy.port),
      STARTUP_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'trace',
    });
    try {
      await app.port();
      const health = await (await app.request('/health')).text();
      expect(await app.exited()).toBe(1);
      expect(app.stderr()).toContain('postgres');
      for (const text of [health, app.stdout(), app.stderr(), await historyText(app.historyFile)]) {
        expect(text).not.toContain(password);
      }
    } finally {
      await app.stop('SIGKILL');
      await proxy.close();
    }
  });

  it('never show a password in a configuration error', async () => {
    const app = spawnSample({
      DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:notaport/test`,
      REDIS_URL: `redis://:${password}@127.0.0.1:6379/x`,
      NATS_URL: `http://app:${password}@127.0.0.1:4222`,
      API_KEY: 'short',
    });
    expect(await app.exited()).toBe(2);
    const stderr = app.stderr();
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'API_KEY']) expect(stderr).toContain(name);
    expect(stderr).not.toContain(password);
    expect(stderr).not.toContain('"short"');
    expect(app.stdout()).toBe('');
  });
});
