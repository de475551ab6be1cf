import type { Startup } from '@startup/core';
import type { CaseContext, Fault } from './fault-case.js';
import { sleep, waitFor } from './wait-for.js';

/** `plugin:down` / `plugin:up` as they came, e.g. `['down', 'up']`. */
function runtimeEvents(app: Startup<unknown>): string[] {
  const seen: string[] = [];
  app.on('plugin:down', () => seen.push('down'));
  app.on('plugin:up', () => seen.push('up'));
  return seen;
}

/**
 * For a connector that notices a loss only on a request (HTTP), polls the health check every 25 ms, as a
 * readiness probe would, until the returned function is called; for the others, does nothing: they must notice
 * the loss with no traffic at all.
 */
function probe({ kit }: CaseContext, app: Startup<unknown>): () => Promise<void> {
  if (kit.noticesLoss === 'connection') return async () => {};
  let probing = true;
  const polling = (async () => {
    while (probing) {
      await app.health();
      await sleep(25);
    }
  })();
  return async () => {
    probing = false;
    await polling;
  };
}

/** Waits until health passes and the breaker is CLOSED again; resolves with the time it took. */
async function recovery(app: Startup<unknown>, plugin: string): Promise<number> {
  return waitFor(
    `${plugin} healthy again`,
    async () => (await app.health()).status === 'pass' && app.breaker(plugin).state === 'CLOSED',
    5_000,
    25,
  );
}

/** The connections the case holds once recovered: one per client, a pool's warm ones for PostgreSQL. */
async function steadyConnections({ kit, proxy, id, expect }: CaseContext, app: Startup<unknown>) {
  if (kit.name === 'postgres') {
    const pool = (app.resources as { postgres: { totalCount: number } }).postgres;
    // Backends of the cut connections leave pg_stat_activity a moment after the cut.
    await waitFor(
      'the pool and the server agree',
      async () => (await kit.serverConnections(id)) === pool.totalCount,
      2_000,
    );
    expect(pool.totalCount).toBeGreaterThan(0);
  } else if (kit.name === 'mysql') {
    // mysql2 keeps no public count: its pool's list of connections.
    const pool = (app.resources as { mysql: { pool: { _allConnections: { length: number } } } }).mysql.pool;
    await waitFor(
      'the pool and the server agree',
      async () => (await kit.serverConnections(id)) === pool._allConnections.length,
      2_000,
    );
    expect(pool._allConnections.length).toBeGreaterThan(0);
  } else if (kit.name === 'http') {
    // Keep-alive sockets, one per request in flight (undici may open a second for a request right after a
    // body ended): as many on the upstream under the case's name as the proxy carries, and at least one.
    await waitFor(
      'the upstream and the proxy agree',
      async () => (await kit.serverConnections(id)) === proxy.connections,
      2_000,
    );
    expect(proxy.connections).toBeGreaterThan(0);
    expect(proxy.connections).toBeLessThanOrEqual(2);
  } else {
    // ioredis and nats.js hold one connection each: a second would be a reconnect loop that never ended.
    await waitFor('one connection left', () => proxy.connections === 1, 2_000);
    const server = kit.serverConnections(id);
    if (server !== undefined) expect(await server).toBe(1);
  }
}

/** Faults that hit an application that started. */
export const runtimeFaults: Fault[] = [
  {
    id: 'dies',
    label: 'dies while running (refused until restored)',
    timed: 'restore until health pass and breaker CLOSED',
    expected: 'recovered',
    async run(ctx) {
      const { kit, proxy, at, id, expect, app } = ctx;
      const started = app(kit.plugin(at, { id }));
      const events = runtimeEvents(started);
      await started.start();
      await proxy.refuse();
      const probing = probe(ctx, started);
      await waitFor('plugin:down', () => events.includes('down'));
      await probing();
      expect((await started.health()).status).toBe('fail');
      // The runtime loss and the failed check: the breaker's threshold of 2.
      expect(started.breaker(kit.name).state).toBe('OPEN');
      // An OPEN breaker alone must not take the instance out of service (resilience4j #607).
      expect((await started.readiness()).status).toBe('warn');
      expect(started.liveness().status).toBe('pass');
      await proxy.accept();
      const ms = await recovery(started, kit.name);
      await waitFor('plugin:up', () => events.at(-1) === 'up');
      expect(events).toEqual(['down', 'up']);
      await steadyConnections(ctx, started);
      const polled = kit.noticesLoss === 'request' ? ' (health polled every 25 ms)' : '';
      return {
        outcome: 'recovered',
        ms,
        detail: `down${polled} → health fail, breaker OPEN → up, breaker CLOSED`,
      };
    },
  },
  {
    id: 'flapping',
    label: 'flapping (5 × refused 60 ms / accepting 60 ms)',
    timed: 'last restore until health pass and breaker CLOSED',
    expected: 'recovered',
    async run(ctx) {
      const { kit, proxy, at, id, expect, app } = ctx;
      const started = app(kit.plugin(at, { id }));
      const events = runtimeEvents(started);
      await started.start();
      const probing = probe(ctx, started);
      for (let flap = 0; flap < 5; flap++) {
        await proxy.refuse();
        await sleep(60);
        await proxy.accept();
        await sleep(60);
      }
      await probing();
      const ms = await recovery(started, kit.name);
      await waitFor('plugin:up after the last down', () => events.at(-1) === 'up');
      // Each loss is reported once and answered by one recovery, never two downs in a row.
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events).toEqual(events.map((_, i) => (i % 2 === 0 ? 'down' : 'up')));
      await steadyConnections(ctx, started);
      return {
        outcome: 'recovered',
        ms,
        detail: `${events.length / 2} down/up pair${events.length === 2 ? '' : 's'}${kit.noticesLoss === 'request' ? ' (health polled every 25 ms)' : ''}; no duplicate connection`,
      };
    },
  },
];
