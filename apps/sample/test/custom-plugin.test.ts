import { readFileSync } from 'node:fs';
import { createStartup, isStartupError } from '@startup/core';
import { postgres } from '@startup/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { eventsTable } from '../src/events-table.js';
import { migrations } from './migrations-plugin.js';
import { eventually, uniqueName } from './sample-process.js';
import { pgConnections, withPg } from './server-connections.js';

const url = 'postgres://postgres@127.0.0.1:5432/test';
const quick = { retry: { initialDelayMs: 20, maxDelayMs: 50 } } as const;

describe('the custom plugin of docs/custom-plugin.md (events-table)', () => {
  const tables: string[] = [];
  const newTable = () => {
    const table = uniqueName('t').replace(/-/g, '_');
    tables.push(table);
    return table;
  };
  afterAll(async () => {
    await withPg(async (pg) => {
      for (const table of tables) await pg.query(`DROP TABLE IF EXISTS ${table}`);
    });
  });

  it('starts once postgres is ready, creates its table in a "migrate" step and inserts events', async () => {
    const table = newTable();
    const app = createStartup(
      [eventsTable({ table }), postgres({ url, applicationName: table, warmConnections: 1 })],
      {
        defaults: quick,
      },
    );
    try {
      const { 'events-table': events } = await app.start();
      const report = app.report();
      const [plugin, pool] = report.plugins;
      expect(plugin!.depsReadyMs).toBeGreaterThanOrEqual(pool!.readyMs!);
      expect(plugin!.steps.map((s) => s.name)).toEqual(['migrate']);
      expect(await events.exists()).toBe(true);
      const { event: stored } = await events.insert({ type: 'signup', payload: { user: 'ada' } });
      expect(stored).toMatchObject({ type: 'signup' });
      expect(Number.isInteger(stored.id)).toBe(true);
      expect((await app.health()).checks['events-table']!.status).toBe('pass');
    } finally {
      await app.stop();
    }
  });

  it('lets several replicas create the same table at once', async () => {
    const table = newTable();
    const apps = Array.from({ length: 4 }, () =>
      createStartup([postgres({ url, applicationName: table, warmConnections: 1 }), eventsTable({ table })], {
        defaults: quick,
      }),
    );
    try {
      const started = await Promise.allSettled(apps.map((a) => a.start()));
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(apps.every((a) => a.report().plugins[1]!.attempts.length === 1)).toBe(true);
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
    }
  });

  it('fails its health check once the table is gone', async () => {
    const table = newTable();
    const app = createStartup(
      [postgres({ url, applicationName: table, warmConnections: 1 }), eventsTable({ table })],
      {
        defaults: quick,
        health: { cacheMs: 0 },
      },
    );
    try {
      await app.start();
      await withPg((pg) => pg.query(`DROP TABLE ${table}`));
      const check = (await app.health()).checks['events-table']!;
      expect(check.status).toBe('fail');
      expect(check.error?.message).toContain(`table "${table}" is missing`);
    } finally {
      await app.stop();
    }
  });

  it('rejects a table name that is not a plain SQL identifier, before anything connects', () => {
    for (const table of ['events; DROP TABLE x', 'Events', '1events', '', 'a'.repeat(64)]) {
      let error: unknown;
      try {
        eventsTable({ table });
      } catch (caught) {
        error = caught;
      }
      expect(isStartupError(error) && error.code, table).toBe('STARTUP_ERR_INVALID_OPTION');
      expect((error as Error).message).toContain('"table"');
    }
  });

  it('is shown in the guide exactly as the sample runs it', () => {
    const guide = readFileSync(new URL('../../../docs/custom-plugin.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('../src/events-table.ts', import.meta.url), 'utf8');
    const block = guide.match(
      /<!-- source: apps\/sample\/src\/events-table\.ts -->\n```ts\n([\s\S]*?)```/,
    )?.[1];
    expect(block).toBe(source);
  });
});

describe('the abortable() migrations plugin of docs/custom-plugin.md', () => {
  it('runs its statements in a "migrate" step and gives the connection back', async () => {
    const table = uniqueName('m').replace(/-/g, '_');
    const app = createStartup(
      [
        postgres({ url, applicationName: table, warmConnections: 1, max: 1 }),
        migrations([`CREATE TABLE ${table} (id int)`]),
      ],
      { defaults: quick },
    );
    try {
      const { migrations: done } = await app.start();
      expect(done).toEqual({ applied: 1 });
      expect(app.report().plugins[1]!.steps.map((s) => s.name)).toEqual(['migrate']);
      // max: 1, so this query gets a connection only if the plugin released its own.
      const { rows } = await app.resources.postgres.query('SELECT to_regclass($1) AS t', [table]);
      expect(rows[0].t).toBe(table);
    } finally {
      await app.stop();
      await withPg((pg) => pg.query(`DROP TABLE IF EXISTS ${table}`));
    }
  });

  it('is aborted by a stop during a statement, rolls back and leaves no connection', async () => {
    const table = uniqueName('m').replace(/-/g, '_');
    const app = createStartup(
      [
        postgres({ url, applicationName: table, warmConnections: 1 }),
        migrations([`CREATE TABLE ${table} (id int)`, 'SELECT pg_sleep(2)']),
      ],
      { defaults: quick },
    );
    const started = app.start().catch((error: unknown) => error);
    const sleeping = () =>
      withPg(async (pg) => {
        const sql =
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query = 'SELECT pg_sleep(2)'";
        return (await pg.query(sql, [table])).rows[0].n === 1;
      });
    await eventually(sleeping, 10_000);
    await app.stop();
    const error = await started;
    expect(isStartupError(error) && error.code).toBe('STARTUP_ERR_ABORTED');
    await eventually(async () => (await pgConnections(table)) === 0, 10_000);
    await withPg(async (pg) => {
      expect((await pg.query('SELECT to_regclass($1) AS t', [table])).rows[0].t).toBeNull();
    });
  });

  it('is shown in the guide exactly as tested', () => {
    const guide = readFileSync(new URL('../../../docs/custom-plugin.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./migrations-plugin.ts', import.meta.url), 'utf8');
    const block = guide.match(
      /<!-- source: apps\/sample\/test\/migrations-plugin\.ts -->\n```ts\n([\s\S]*?)```/,
    )?.[1];
    expect(block).toBe(source);
  });
});
