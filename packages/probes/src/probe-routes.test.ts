import type { StartupOptions } from '@startup/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, demoApp } from '../test/demo-app.js';
import { createProbeRoutes } from './probe-routes.js';

const apiKey = 'unit-key-0123456789abcdef';
let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

function setup(
  options: { gate?: Promise<void>; withMonitor?: boolean; apiKey?: string; startup?: StartupOptions } = {},
) {
  const demo = demoApp({
    ...(options.gate ? { gate: options.gate } : {}),
    ...(options.startup ? { startup: options.startup } : {}),
  });
  stops.push(async () => {
    await demo.app.stop().catch(() => {});
    demo.monitor.dispose();
  });
  const routes = createProbeRoutes({
    app: demo.app,
    ...(options.withMonitor === false ? {} : { monitor: demo.monitor }),
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  });
  return { ...demo, routes };
}

describe('createProbeRoutes', () => {
  it('answers the probes as the start goes: starting, then started', async () => {
    const gate = deferred();
    const { app, routes } = setup({ gate: gate.promise });
    const starting = app.start();
    const live = await routes.respond('live');
    expect(live.statusCode).toBe(200);
    expect(JSON.parse(live.body)).toEqual({ status: 'pass', phase: 'starting' });
    expect((await routes.respond('startup')).statusCode).toBe(503);
    const ready = await routes.respond('ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toBe('application/health+json');
    expect(JSON.parse(ready.body)).toEqual({ status: 'fail', phase: 'starting' });
    const health = JSON.parse((await routes.respond('health')).body);
    expect(health.checks['cache:responseTime'][0].output).toMatch(/^starting: attempt 1 running/);

    gate.resolve();
    await starting;
    for (const route of ['live', 'startup', 'ready'] as const) {
      const answer = await routes.respond(route);
      expect(answer.statusCode, route).toBe(200);
      expect(JSON.parse(answer.body), route).toEqual({ status: 'pass', phase: 'started' });
      expect(answer.headers['cache-control'], route).toBe('no-store');
    }
  });

  it('fails readiness and /health once drained, while liveness still passes', async () => {
    const { app, routes } = setup();
    await app.start();
    routes.drain();
    expect(routes.phase).toBe('stopping');
    const ready = await routes.respond('ready');
    expect(ready.statusCode).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'fail', phase: 'stopping' });
    const health = await routes.respond('health');
    expect(health.statusCode).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'fail', output: 'shutting down' });
    expect((await routes.respond('live')).statusCode).toBe(200);
    expect((await routes.respond('startup')).statusCode).toBe(200);
  });

  it('names the failing checks when readiness fails on a backend', async () => {
    const { app, routes, state } = setup();
    await app.start();
    state.healthy = false;
    const ready = await routes.respond('ready');
    expect(ready.statusCode).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'fail', phase: 'started', failing: ['cache'] });
  });

  it('serves /health as health+json with the grade, and Prometheus text with the monitor', async () => {
    const { app, routes } = setup();
    await app.start();
    const health = await routes.respond('health');
    expect(health.statusCode).toBe(200);
    const body = JSON.parse(health.body);
    expect(body).toMatchObject({ status: 'pass', serviceId: 'demo' });
    expect(body.startup.grade).toMatch(/^[A-F]$/);
    expect(body.startup.criticalPath).toEqual(['config', 'cache']);
    const metrics = await routes.respond('metrics');
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain('startup_duration_seconds{service="demo"}');
  });

  it("builds /health once per health run while core's cache returns that run", async () => {
    const { app, monitor, routes, state } = setup({ startup: { health: { cacheMs: 60_000 } } });
    await app.start();
    const build = vi.spyOn(monitor, 'healthPayload');
    const answers = [
      await routes.respond('health'),
      ...(await Promise.all([routes.respond('health'), routes.respond('health')])),
    ];
    expect(state.checks).toBe(1);
    expect(build).toHaveBeenCalledTimes(1);
    for (const answer of answers.slice(1)) {
      expect(answer).toEqual(answers[0]);
      expect(answer.headers).not.toBe(answers[0]!.headers);
    }
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ status: 'pass', serviceId: 'demo' });
  });

  it('builds /health anew for each health run, for a failing check and once drained', async () => {
    const { app, monitor, routes, state } = setup();
    await app.start();
    const build = vi.spyOn(monitor, 'healthPayload');
    await routes.respond('health');
    await routes.respond('health');
    expect(build).toHaveBeenCalledTimes(2);
    state.healthy = false;
    const failing = await routes.respond('health');
    expect(failing.statusCode).toBe(503);
    expect(JSON.parse(failing.body).output).toMatch(/cache unreachable/);
  });

  it('answers "shutting down" at once when drained while a /health body is reused', async () => {
    const { app, routes } = setup({ startup: { health: { cacheMs: 60_000 } } });
    await app.start();
    expect((await routes.respond('health')).statusCode).toBe(200);
    routes.drain();
    const drained = await routes.respond('health');
    expect(drained.statusCode).toBe(503);
    expect(JSON.parse(drained.body)).toMatchObject({ status: 'fail', output: 'shutting down' });
  });

  it('serves neither /metrics nor the start-up page without a monitor', async () => {
    const { app, routes } = setup({ withMonitor: false });
    await app.start();
    expect(routes.match('/metrics')).toBeUndefined();
    expect(routes.match('/startup')).toBeUndefined();
    expect(routes.match('/health')).toBe('health');
    expect(JSON.parse((await routes.respond('health')).body).startup.criticalPath).toEqual([
      'config',
      'cache',
    ]);
  });

  describe('the stats route', () => {
    it('is disabled (403) without an API key, whatever is presented', async () => {
      const { app, routes } = setup();
      await app.start();
      for (const presented of [undefined, '', 'anything']) {
        const answer = await routes.respond('stats', { apiKey: presented });
        expect(answer.statusCode).toBe(403);
        expect(JSON.parse(answer.body).code).toBe('STATS_DISABLED');
      }
    });

    it('answers 401 to a missing or wrong key, and never shows the key', async () => {
      const { app, routes } = setup({ apiKey });
      await app.start();
      const missing = await routes.respond('stats');
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('ApiKey header="X-API-Key"');
      expect(JSON.parse(missing.body).code).toBe('API_KEY_MISSING');
      for (const wrong of ['', apiKey.slice(0, -1), `${apiKey}x`, apiKey.toUpperCase()]) {
        const answer = await routes.respond('stats', { apiKey: wrong });
        expect(answer.statusCode).toBe(401);
        expect(JSON.parse(answer.body).code).toBe('API_KEY_INVALID');
        expect(answer.body).not.toContain(wrong || '""');
      }
    });

    it('answers 200 with the report, analysis and health to the right key', async () => {
      const { app, routes } = setup({ apiKey });
      await app.start();
      const answer = await routes.respond('stats', { apiKey });
      expect(answer.statusCode).toBe(200);
      const body = JSON.parse(answer.body);
      expect(body.phase).toBe('started');
      expect(body.startup.report.plugins.map((p: { name: string }) => p.name)).toEqual(['config', 'cache']);
      expect(body.startup.analysis.grade.grade).toMatch(/^[A-F]$/);
      expect(body.health.status).toBe('pass');
      expect(answer.body).not.toContain(apiKey);
    });
  });

  it('serves the start-up page with the waterfall, grade and recommendations', async () => {
    const { app, routes, monitor } = setup();
    await app.start();
    await monitor.idle();
    const page = await routes.respond('page');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('data-plugin="cache"');
    expect(page.body).not.toContain('<script');
  });

  it('matches exact paths only, honours custom and removed paths', () => {
    const { app, monitor } = demoApp();
    const routes = createProbeRoutes({ app, monitor, paths: { ready: '/readyz', stats: false } });
    expect(routes.match('/readyz')).toBe('ready');
    expect(routes.match('/health/ready')).toBeUndefined();
    expect(routes.match('/api/v1/stats')).toBeUndefined();
    expect(routes.match('/health/')).toBeUndefined();
    expect(routes.match('/HEALTH')).toBeUndefined();
    expect(routes.paths).toEqual({
      health: '/health',
      live: '/health/live',
      ready: '/readyz',
      startup: '/health/startup',
      metrics: '/metrics',
      page: '/startup',
    });
    monitor.dispose();
  });

  it('rejects bad options naming the field, before anything is served', () => {
    const { app, monitor } = demoApp();
    const invalid = (options: object, field: RegExp) => {
      let caught: unknown;
      try {
        createProbeRoutes({ app, ...options } as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION' });
      expect((caught as Error).message).toMatch(field);
    };
    invalid({ app: {} }, /"app"/);
    invalid({ monitor: 3 }, /"monitor"/);
    invalid({ apiKey: '' }, /"apiKey"/);
    invalid({ paths: { ready: 'ready' } }, /"paths\.ready"/);
    invalid({ paths: { ready: '/a?b' } }, /"paths\.ready"/);
    invalid({ paths: { ready: '/health' } }, /"paths\.ready"/);
    invalid({ paths: { readiness: '/r' } }, /"paths\.readiness"/);
    invalid({ apikey: 'x' }, /"apikey"/);
    invalid({ redact: 'secret' }, /"redact"/);
    monitor.dispose();
  });

  it('passes every body through redact before it is answered', async () => {
    const { app, monitor } = demoApp();
    stops.push(async () => {
      await app.stop().catch(() => {});
      monitor.dispose();
    });
    const seen: string[] = [];
    const routes = createProbeRoutes({
      app,
      monitor,
      service: 'svc-hunter2',
      redact: (body) => {
        seen.push(body);
        return body.replaceAll('hunter2', '****');
      },
    });
    await app.start();
    for (const route of ['health', 'live', 'ready', 'startup', 'metrics', 'stats', 'page'] as const) {
      const answer = await routes.respond(route);
      expect(answer.body, route).not.toContain('hunter2');
    }
    expect((await routes.respond('health')).body).toContain('svc-****');
    expect(seen).toHaveLength(8);
  });
});
