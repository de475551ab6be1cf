import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, HistoryWarning } from '../src/history-store.js';
import { redisHistory } from '../src/redis-history.js';
import { sqlHistory } from '../src/sql-history.js';
import { trend } from '../src/trend.js';
import { fakePlugin, fakeReport } from './report-fixture.js';

const run = randomBytes(4).toString('hex');
const entry = (i: number, service = 'orders'): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i, 0, 123)).toISOString(),
  service,
  report: fakeReport([
    fakePlugin('postgres', { startMs: 0, attemptsMs: [100 + i, 50], delaysMs: [20] }),
    fakePlugin('api', { dependsOn: ['postgres'], startMs: 170 + i, attemptsMs: [30] }),
  ]),
});

describe('sqlHistory on PostgreSQL', () => {
  const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 2 });
  const table = `startup_history_${run}`;
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  it('creates its table, keeps the newest entries and round-trips reports exactly', async () => {
    const history = sqlHistory({ client: pool, table, maxEntries: 3 });
    for (let i = 1; i <= 5; i++) await history.append(entry(i));
    const entries = await history.list();
    expect(entries).toEqual([entry(3), entry(4), entry(5)]);
    expect(await history.list(1)).toEqual([entry(5)]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
    expect(rows[0].n).toBe(3);
    expect(trend(entries).baselineMs).toBe(entries.slice(0, 2).reduce((s, e) => s + e.report.wallMs, 0) / 2);
  });

  it('shares one table between two stores created at once (two replicas)', async () => {
    const shared = `${table}_shared`;
    const a = sqlHistory({ client: pool, table: shared });
    const b = sqlHistory({ client: (text, params) => pool.query(text, params), table: shared });
    try {
      await Promise.all([a.append(entry(1, 'a')), b.append(entry(2, 'b'))]);
      expect((await a.list()).map((e) => e.service).sort()).toEqual(['a', 'b']);
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${shared}"`);
    }
  });

  it('round-trips instance, variant and prediction, and adds their columns to a table made before them', async () => {
    const old = `${table}_old`;
    await pool.query(
      `CREATE TABLE "${old}" (id BIGSERIAL PRIMARY KEY, recorded_at TIMESTAMPTZ NOT NULL, service TEXT, report JSONB NOT NULL)`,
    );
    try {
      const history = sqlHistory({ client: pool, table: old });
      const full: HistoryEntry = {
        ...entry(1),
        instance: 'orders-3',
        variant: 'pool-4',
        prediction: { wallMs: 180, basedOn: 2, plugins: { postgres: 150 } },
      };
      await Promise.all([history.append(full), sqlHistory({ client: pool, table: old }).append(entry(2))]);
      expect((await history.list()).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))).toEqual([
        full,
        entry(2),
      ]);
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${old}"`);
    }
  });

  it("amends one start's row with its pool use, found by time, instance and service", async () => {
    const amended = `${table}_amended`;
    const history = sqlHistory({ client: pool, table: amended });
    try {
      const mine = { ...entry(1), instance: 'orders-1' };
      const twin = { ...entry(1), instance: 'orders-2' };
      await history.append(mine);
      await history.append(twin);
      const pools = [{ plugin: 'postgres', peakInUse: 4, peakWaiting: 0, max: 20, checks: 30 }];
      await history.amend?.({ ...mine, pools });
      expect(await history.list()).toEqual([{ ...mine, pools }, twin]);
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${amended}"`);
    }
  });

  it('skips a corrupt row with a warning', async () => {
    const warnings: HistoryWarning[] = [];
    const history = sqlHistory({ client: pool, table, onWarning: (w) => warnings.push(w) });
    await pool.query(
      `INSERT INTO "${table}" (recorded_at, service, report) VALUES (now(), 'x', '{"broken": true}')`,
    );
    expect(await history.list()).toHaveLength(3);
    expect(warnings).toHaveLength(1);
  });
});

describe('redisHistory on Redis', () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
  const key = `startup:history:test:${run}`;
  beforeAll(() => redis.connect());
  afterAll(async () => {
    await redis.del(key);
    await redis.quit();
  });

  it('keeps the newest entries in a list and round-trips reports exactly', async () => {
    const history = redisHistory({ client: redis, key, maxEntries: 3 });
    for (let i = 1; i <= 5; i++) await history.append(entry(i));
    expect(await history.list()).toEqual([entry(3), entry(4), entry(5)]);
    expect(await history.list(2)).toEqual([entry(4), entry(5)]);
    expect(await redis.llen(key)).toBe(3);
  });

  it("amends one start's element with its pool use (ioredis has lset)", async () => {
    const amended = `${key}:amended`;
    const history = redisHistory({ client: redis, key: amended });
    try {
      await history.append(entry(1));
      await history.append(entry(2));
      const pools = [{ plugin: 'postgres', peakInUse: 4, peakWaiting: 0, max: 20, checks: 30 }];
      await history.amend?.({ ...entry(1), pools });
      expect(await history.list()).toEqual([{ ...entry(1), pools }, entry(2)]);
    } finally {
      await redis.del(amended);
    }
  });

  it('skips a corrupt element with a warning', async () => {
    const warnings: HistoryWarning[] = [];
    await redis.lpush(key, 'not json');
    const history = redisHistory({ client: redis, key, onWarning: (w) => warnings.push(w) });
    expect(await history.list()).toHaveLength(3);
    expect(warnings.map((w) => w.source)).toEqual([`${key}[0]`]);
  });
});
