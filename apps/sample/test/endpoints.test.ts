import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleProcess, spawnSample } from './sample-process.js';

const apiKey = 'e2e-key-0123456789abcdef';

describe('the started sample app', () => {
  let app: SampleProcess;
  beforeAll(async () => {
    app = spawnSample({ API_KEY: apiKey, STARTUP_GRADES: 'loopback' });
    await app.ready();
  });
  afterAll(async () => {
    expect(await app.stop()).toBe(0);
  });

  it('serves /health as application/health+json with every service, grade, efficiency and breakers', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/health\+json/);
    const body = await res.json();
    expect(body.status).toBe('pass');
    expect(body.serviceId).toBe(app.serviceName);
    for (const name of ['postgres', 'redis', 'nats', 'events-table', 'events-stream']) {
      const service = body.startup.services[name];
      expect(service).toMatchObject({ status: 'pass', breaker: 'CLOSED', startStatus: 'ready', attempts: 1 });
      expect(service.durationMs).toBeGreaterThan(0);
      expect(body.checks[`${name}:responseTime`][0]).toMatchObject({ observedUnit: 'ms', status: 'pass' });
    }
    expect(body.startup.status).toBe('ready');
    expect(body.startup.grade).toMatch(/^[A-F]$/);
    expect(body.startup.efficiency).toBeGreaterThan(0);
    expect(body.startup.bestEfficiency).toBeGreaterThan(0);
    expect(body.startup.criticalPath.length).toBeGreaterThan(0);
    expect(Array.isArray(body.startup.recommendations)).toBe(true);
    expect(body.startup.recommendations.length).toBeGreaterThan(0);
  });

  it('passes the three probes once started', async () => {
    for (const path of ['/health/live', '/health/ready', '/health/startup']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.json(), path).toMatchObject({ status: 'pass', phase: 'started' });
    }
  });

  it('serves Prometheus metrics with the start, per-plugin and breaker series', async () => {
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    for (const line of samples)
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eInfNa]+$/);
    expect(text).toContain(`startup_duration_seconds{service="${app.serviceName}"}`);
    expect(text).toMatch(/startup_breaker_state\{service="[^"]+",plugin="postgres"\} 0/);
    expect(text).toMatch(/startup_plugin_attempts\{service="[^"]+",plugin="nats"\} 1/);
    expect(text).toMatch(/startup_health_check_up\{service="[^"]+",plugin="redis"\} 1/);
  });

  describe('GET /api/v1/stats', () => {
    const stats = (key?: string) =>
      app.request('/api/v1/stats', key === undefined ? {} : { headers: { 'x-api-key': key } });

    it('answers 401 without a key', async () => {
      const res = await stats();
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('X-API-Key');
      expect(await res.json()).toMatchObject({ code: 'API_KEY_MISSING' });
    });

    it('answers 401 to a wrong key of the same length, a shorter one, a longer one and an empty one', async () => {
      const wrong = [
        `${apiKey.slice(0, -1)}X`,
        apiKey.slice(0, 5),
        `${apiKey}${apiKey}`,
        `${apiKey} `.repeat(40),
        '',
      ];
      for (const key of wrong) {
        const res = await stats(key);
        expect(res.status, `key of length ${key.length}`).toBe(401);
        const body = await res.text();
        expect(body).not.toContain(apiKey);
      }
    });

    it('answers 401 to any other printable key', async () => {
      const key = fc.stringMatching(/^[\x21-\x7e]{0,64}$/).filter((k) => k !== apiKey);
      await fc.assert(
        fc.asyncProperty(key, async (k) => {
          const res = await stats(k);
          await res.body?.cancel();
          expect(res.status).toBe(401);
        }),
        { numRuns: 40 },
      );
    });

    it('answers 200 with the report, analysis, health and trend to the right key', async () => {
      const res = await stats(apiKey);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.service).toBe(app.serviceName);
      expect(body.phase).toBe('started');
      expect(body.startup.report.status).toBe('ready');
      expect(body.startup.report.plugins.map((p: { name: string }) => p.name)).toEqual([
        'postgres',
        'redis',
        'nats',
        'events-table',
        'events-stream',
      ]);
      expect(body.startup.analysis.grade.grade).toMatch(/^[A-F]$/);
      expect(body.health.status).toBe('pass');
      expect(body.trend.points.length).toBe(1);
      expect(body.process.rssBytes).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toContain(apiKey);
    });
  });

  it('serves the start-up page /startup as HTML, without the API key', async () => {
    const res = await app.request('/startup');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<html');
    expect(page).toContain(app.serviceName);
    for (const plugin of ['postgres', 'redis', 'nats', 'events-table', 'events-stream'])
      expect(page).toContain(plugin);
    expect(page).not.toContain(apiKey);
  });

  it('answers 404 as JSON for an unknown route', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
  });
});

describe('the sample app without API_KEY', () => {
  it('disables /api/v1/stats (403 whatever the key) and says so at start', async () => {
    const app = spawnSample({ API_KEY: undefined });
    try {
      await app.ready();
      for (const headers of [{}, { 'x-api-key': 'anything-at-all-0123' }, { 'x-api-key': '' }] as Record<
        string,
        string
      >[]) {
        const res = await app.request('/api/v1/stats', { headers });
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ code: 'STATS_DISABLED' });
      }
      const warning = app.logs().find((l) => String(l.msg).includes('API_KEY is not set'));
      expect(warning).toMatchObject({ level: 40 });
    } finally {
      expect(await app.stop()).toBe(0);
    }
  });
});
