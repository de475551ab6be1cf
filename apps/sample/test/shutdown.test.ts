import { createFaultProxy } from '@startup/fault-proxy';
import { describe, expect, it } from 'vitest';
import { eventually, spawnSample } from './sample-process.js';
import { pgConnections, redisClients, withPg, withRedis } from './server-connections.js';

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'exits 0 on %s, closing plugins dependents first, with nothing left on PostgreSQL or Redis',
    async (signal) => {
      const app = spawnSample({ PG_WARM_CONNECTIONS: '4' });
      await app.ready();
      expect(await pgConnections(app.serviceName)).toBeGreaterThanOrEqual(4);
      expect(await redisClients(app.serviceName)).toBe(1);

      // Exiting at all proves no handle was left: the app never calls process.exit after a clean shutdown.
      expect(await app.stop(signal)).toBe(0);
      const closed = app
        .logs()
        .filter((l) => l.msg === 'closed')
        .map((l) => l.plugin);
      expect(closed.sort()).toEqual(['events-stream', 'events-table', 'nats', 'postgres', 'redis']);
      const order = app
        .logs()
        .filter((l) => l.msg === 'closed')
        .map((l) => l.plugin);
      expect(order.indexOf('events-table')).toBeLessThan(order.indexOf('postgres'));
      expect(order.indexOf('events-stream')).toBeLessThan(order.indexOf('nats'));
      const messages = app.logs().map((l) => l.msg);
      expect(messages.indexOf('shutting down: readiness now fails')).toBeLessThan(messages.indexOf('closed'));
      expect(messages.at(-1)).toBe('shutdown complete');

      await eventually(async () => (await pgConnections(app.serviceName)) === 0, 10_000);
      await eventually(async () => (await redisClients(app.serviceName)) === 0, 10_000);
    },
  );

  it('fails readiness first and lets an in-flight request finish before closing', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    const app = spawnSample({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      SHUTDOWN_DELAY_MS: '400',
    });
    let id: number | undefined;
    try {
      await app.ready();
      proxy.latency(300);
      const inFlight = app.request('/api/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'slow', payload: {} }),
      });
      // In flight once the app has taken it in (a fixed wait loses the race while the app is busy loading its web
      // framework: a request still unread in the socket when the shutdown begins arrives during the drain).
      await eventually(
        () =>
          app
            .logs()
            .some(
              (l) => l.msg === 'incoming request' && (l.req as { url?: string }).url === '/api/v1/events',
            ),
        10_000,
      );
      app.child.kill('SIGTERM');
      await eventually(() => app.logs().some((l) => l.msg === 'shutting down: readiness now fails'), 10_000);
      // During the delay the server still answers, and readiness already fails.
      const ready = await app.request('/health/ready');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ phase: 'stopping' });
      expect((await app.request('/health/live')).status).toBe(200);

      const res = await inFlight;
      expect(res.status).toBe(201);
      id = (await res.json()).id;
      expect(await app.exited()).toBe(0);
    } finally {
      await app.stop('SIGKILL');
      await proxy.close();
      if (id !== undefined) await withPg((pg) => pg.query('DELETE FROM sample_events WHERE id = $1', [id]));
      await withRedis((redis) => redis.del(`${app.serviceName}:event-counts`));
    }
  });

  it('exits 1 once SHUTDOWN_TIMEOUT_MS passed when a request never finishes', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    const app = spawnSample({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      SHUTDOWN_TIMEOUT_MS: '1000',
    });
    try {
      await app.ready();
      proxy.blackhole();
      const stuck = app
        .request('/api/v1/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'stuck', payload: {} }),
        })
        .catch(() => undefined);
      await eventually(() => app.logs().some((l) => l.msg === 'incoming request' && l.req), 10_000);
      app.child.kill('SIGTERM');
      expect(await app.exited()).toBe(1);
      expect(app.logs().some((l) => l.msg === 'shutdown did not complete in time: exiting')).toBe(true);
      await stuck;
    } finally {
      await app.stop('SIGKILL');
      await proxy.close();
    }
  });

  it('aborts a start whose PostgreSQL attempt hangs (blackhole) on SIGTERM and exits 0', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    proxy.blackhole();
    const app = spawnSample({ DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
    try {
      await app.port();
      // redis, nats and events-stream are started; postgres's attempt is hanging on the silent proxy.
      await eventually(async () => {
        const { startup } = await (await app.request('/health')).json();
        return ['redis', 'nats', 'events-stream'].every((s) => startup.services[s].startStatus === 'ready');
      }, 10_000);
      expect(proxy.connections).toBeGreaterThan(0);
      app.child.kill('SIGTERM');
      expect(await app.exited()).toBe(0);
      const closed = app
        .logs()
        .filter((l) => l.msg === 'closed')
        .map((l) => l.plugin);
      expect(closed).toEqual(expect.arrayContaining(['redis', 'nats', 'events-stream']));
      expect(closed).not.toContain('postgres');
      await eventually(async () => (await redisClients(app.serviceName)) === 0, 10_000);
    } finally {
      await app.stop('SIGKILL');
      await proxy.close();
    }
  });

  it('aborts a start still waiting for a service on SIGTERM, exits 0 and leaves nothing open', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    await proxy.refuse();
    const app = spawnSample({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      STARTUP_TIMEOUT_MS: '30000',
    });
    try {
      await app.port();
      // Redis is up by now, PostgreSQL still refused: the start is running.
      await eventually(async () => (await redisClients(app.serviceName)) === 1, 10_000);
      expect((await app.request('/health/startup')).status).toBe(503);
      const sent = performance.now();
      app.child.kill('SIGTERM');
      expect(await app.exited()).toBe(0);
      // Informative only: the issue asks for well under a second.
      console.info(`exited ${Math.round(performance.now() - sent)} ms after SIGTERM during the start`);
      expect(app.logs().some((l) => l.msg === 'start aborted by a shutdown signal')).toBe(true);
      expect(app.stderr()).not.toContain('Start-up failed');
      await eventually(async () => (await redisClients(app.serviceName)) === 0, 10_000);
      expect(await pgConnections(app.serviceName)).toBe(0);
    } finally {
      await app.stop('SIGKILL');
      await proxy.close();
    }
  });
});
