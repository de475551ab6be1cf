import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestClock } from '@startup/test-kit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, demoApp } from '../../probes/test/demo-app.js';
import { get } from '../../probes/test/http-client.js';
import { startupPlugin } from './startup-plugin.js';

const apiKey = 'fastify-key-0123456789abcdef';
let cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup(pluginOptions: object = {}) {
  const demo = demoApp();
  const fastify: FastifyInstance = Fastify();
  cleanup.push(async () => {
    await fastify.close();
    demo.monitor.dispose();
  });
  await fastify.register(startupPlugin, {
    app: demo.app,
    monitor: demo.monitor,
    apiKey,
    signals: [],
    ...pluginOptions,
  });
  return { ...demo, fastify };
}

describe('startupPlugin', () => {
  it('registers the probes through Fastify and decorates fastify.startup', async () => {
    const { app, fastify } = await setup();
    expect(fastify.startup.phase).toBe('starting');
    expect((await fastify.inject('/health/ready')).statusCode).toBe(503);
    await app.start();
    expect(fastify.startup.phase).toBe('started');
    for (const path of ['/health/live', '/health/ready', '/health/startup']) {
      const res = await fastify.inject(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^application\/health\+json/);
      expect(res.json(), path).toEqual({ status: 'pass', phase: 'started' });
    }
    const health = await fastify.inject('/health');
    expect(health.json()).toMatchObject({ status: 'pass', serviceId: 'demo' });
    expect((await fastify.inject('/metrics')).body).toContain('startup_duration_seconds{service="demo"}');
    const page = await fastify.inject('/startup');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('data-plugin="cache"');
    expect((await fastify.inject({ method: 'HEAD', url: '/health/live' })).statusCode).toBe(200);
  });

  it('guards the stats with X-API-Key as the node:http handler does', async () => {
    const { app, fastify } = await setup();
    await app.start();
    const missing = await fastify.inject('/api/v1/stats');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('ApiKey header="X-API-Key"');
    expect(missing.json().code).toBe('API_KEY_MISSING');
    const wrong = await fastify.inject({ url: '/api/v1/stats', headers: { 'x-api-key': `${apiKey}x` } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('API_KEY_INVALID');
    const right = await fastify.inject({ url: '/api/v1/stats', headers: { 'x-api-key': apiKey } });
    expect(right.statusCode).toBe(200);
    expect(right.json().startup.report.plugins).toHaveLength(2);
    expect(right.body).not.toContain(apiKey);
  });

  it('stops the app when Fastify closes, and readiness fails from then on', async () => {
    const { app, fastify, state } = await setup();
    await app.start();
    await fastify.close();
    expect(state.closed).toEqual(['cache', 'config']);
    expect(fastify.startup.phase).toBe('stopping');
  });

  it('drains on stop(): readiness fails during the delay, in-flight requests finish with Connection: close, then the app stops', async () => {
    const clock = createTestClock();
    const { app, fastify, state } = await setup({ delayMs: 1000, clock });
    const slow = deferred();
    let received = false;
    fastify.get('/slow', async () => {
      received = true;
      await slow.promise;
      return 'done';
    });
    await app.start();
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const port = (fastify.server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true });
    cleanup.push(() => agent.destroy());
    const inFlight = get(port, '/slow', { agent });
    for (let i = 0; i < 500 && !received; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(received).toBe(true);

    const stopping = fastify.startup.stop({ reason: 'test' });
    const ready = await get(port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'fail', phase: 'stopping' });
    expect((await get(port, '/health/live')).status).toBe(200);
    expect(state.closed).toEqual([]);

    await clock.advanceAsync(1000);
    for (let i = 0; i < 500 && fastify.server.listening; i++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(fastify.server.listening).toBe(false);
    expect(state.closed).toEqual([]);
    slow.resolve();
    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200, body: 'done' });
    expect(answer.headers.connection).toBe('close');
    await stopping;
    expect(state.closed).toEqual(['cache', 'config']);
  });

  it('rejects bad options naming the field, at registration', async () => {
    const { app, monitor } = demoApp();
    cleanup.push(() => monitor.dispose());
    for (const [options, field] of [
      [{ app: {} }, /"app"/],
      [{ app, apiKey: '' }, /"apiKey"/],
      [{ app, delayMs: -5 }, /"delayMs"/],
      [{ app, paths: { ready: 'x' } }, /"paths\.ready"/],
    ] as const) {
      const fastify = Fastify();
      await expect(fastify.register(startupPlugin, options as never).ready()).rejects.toThrow(field);
      await fastify.close().catch(() => {});
    }
  });
});
