import { describe, expect, it } from 'vitest';
import { eventually, spawnSample, uniqueName } from './sample-process.js';
import { withPg, withRedis } from './server-connections.js';

/** `startup_history_write_failures_total` of the app's `/metrics`. */
async function writeFailures(app: ReturnType<typeof spawnSample>): Promise<number | undefined> {
  const text = await (await app.request('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith('startup_history_write_failures_total{'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** `err.message` of a log line. */
const errorMessage = (line: Record<string, unknown>) =>
  (line.err as { message?: string } | undefined)?.message;

const historyWarnings = (app: ReturnType<typeof spawnSample>, op: string) =>
  app
    .logs()
    .filter((l) => l.msg === 'monitor' && String(errorMessage(l)).includes(`Cannot ${op} start-up history`));

/** The entries of the Redis history list `key`, once the app has written one (within 10 s). */
async function recordedInRedis(key: string): Promise<string[]> {
  let entries: string[] = [];
  await eventually(async () => {
    entries = await withRedis((redis) => redis.lrange(key, 0, -1));
    return entries.length > 0;
  }, 10_000);
  return entries;
}

describe('HISTORY_STORE', () => {
  it('postgres: records the start in the shared table, with the service and the pod, through the app pool', async () => {
    const table = uniqueName('history').replace(/-/g, '_');
    const pod = uniqueName('pod');
    const app = spawnSample({ HISTORY_STORE: `postgres:${table}`, HOSTNAME: pod });
    try {
      await app.ready();
      let rows: Record<string, unknown>[] = [];
      await eventually(async () => {
        ({ rows } = await withPg((pg) =>
          pg.query(`SELECT service, instance, report FROM ${table}`).catch(() => ({ rows: [] })),
        ));
        return rows.length > 0;
      }, 10_000);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ service: app.serviceName, instance: pod, report: { status: 'ready' } });
      expect(await writeFailures(app)).toBe(0);
      // Two health runs after the row was seen (the health cache is 1 s): the second surely follows the monitor's
      // bookkeeping of the written entry, so its pool figures belong to this run.
      const seen = Date.now();
      const runs = new Set<number>();
      await eventually(async () => {
        const body = (await (await app.request('/health')).json()) as {
          checks?: Record<string, { time?: string }[]>;
        };
        for (const check of Object.values(body.checks ?? {}).flat()) {
          const time = Date.parse(check.time ?? '');
          if (time > seen) runs.add(time);
        }
        return runs.size >= 2;
      }, 10_000);
      expect(await app.stop()).toBe(0);
      // The pool use seen after the start is added to the start's row at the shutdown (pool advice over starts).
      const { rows: amended } = await withPg((pg) => pg.query(`SELECT pools FROM ${table}`));
      expect(amended[0]?.pools).toEqual(
        expect.arrayContaining([expect.objectContaining({ plugin: 'postgres' })]),
      );
    } finally {
      await app.stop('SIGKILL');
      await withPg((pg) => pg.query(`DROP TABLE IF EXISTS ${table}`));
    }
  });

  it('redis: records the start in the shared list, with the service and the pod', async () => {
    const key = uniqueName('history');
    const pod = uniqueName('pod');
    const app = spawnSample({ HISTORY_STORE: `redis:${key}`, HOSTNAME: pod });
    try {
      await app.ready();
      const entries = await recordedInRedis(key);
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]!)).toMatchObject({
        service: app.serviceName,
        instance: pod,
        report: { status: 'ready' },
      });
      expect(await app.stop()).toBe(0);
    } finally {
      await app.stop('SIGKILL');
      await withRedis((redis) => redis.del(key));
    }
  });

  it('records STARTUP_VARIANT with each start; with STARTUP_BULKHEAD_MAX=1 the connectors start one at a time', async () => {
    const key = uniqueName('history');
    const app = spawnSample({
      HISTORY_STORE: `redis:${key}`,
      STARTUP_VARIANT: 'bulkhead-1',
      STARTUP_BULKHEAD_MAX: '1',
    });
    try {
      await app.ready();
      const entries = await recordedInRedis(key);
      const entry = JSON.parse(entries[0]!) as {
        variant?: string;
        report: {
          plugins: { name: string; attempts: { startMs: number; endMs: number; waitedMs?: number }[] }[];
        };
      };
      expect(entry.variant).toBe('bulkhead-1');
      const attempts = entry.report.plugins
        .filter((p) => ['postgres', 'redis', 'nats'].includes(p.name))
        .flatMap((p) => p.attempts)
        .sort((a, b) => a.startMs - b.startMs);
      expect(attempts).toHaveLength(3);
      expect(attempts.every((a) => a.waitedMs !== undefined)).toBe(true);
      // One place: each attempt began once the one before it had ended.
      for (let i = 1; i < attempts.length; i++) {
        expect(attempts[i]!.startMs).toBeGreaterThanOrEqual(attempts[i - 1]!.endMs);
      }
      expect(await app.stop()).toBe(0);
    } finally {
      await app.stop('SIGKILL');
      await withRedis((redis) => redis.del(key));
    }
  });

  it('a write that fails (the key holds a string) leaves the start alone, is logged once and counted', async () => {
    const key = uniqueName('history');
    await withRedis((redis) => redis.set(key, 'not a list'));
    const app = spawnSample({ HISTORY_STORE: `redis:${key}` });
    try {
      await app.ready();
      await eventually(async () => (await writeFailures(app)) === 1, 10_000);
      expect((await app.request('/health/ready')).status).toBe(200);
      expect(historyWarnings(app, 'write')).toHaveLength(1);
      expect(historyWarnings(app, 'write')[0]).toMatchObject({ level: 40 });
      expect(await app.stop()).toBe(0);
    } finally {
      await app.stop('SIGKILL');
      await withRedis((redis) => redis.del(key));
    }
  });

  it('a write that hangs (its table locked) never delays readiness: it times out, logged and counted', async () => {
    const table = uniqueName('history').replace(/-/g, '_');
    await withPg((pg) =>
      pg.query(
        `CREATE TABLE ${table} (id BIGSERIAL PRIMARY KEY, recorded_at TIMESTAMPTZ NOT NULL, service TEXT, instance TEXT, variant TEXT, prediction JSONB, report JSONB NOT NULL)`,
      ),
    );
    await withPg(async (locker) => {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      // Half of SHUTDOWN_TIMEOUT_MS: each history operation is bounded to 1 s.
      const app = spawnSample({ HISTORY_STORE: `postgres:${table}`, SHUTDOWN_TIMEOUT_MS: '2000' });
      try {
        await app.ready();
        await eventually(async () => (await writeFailures(app)) === 1, 10_000);
        const logs = app.logs();
        const failed = logs.filter(
          (l) => l.msg === 'monitor' && String(errorMessage(l)).includes('Cannot write start-up history'),
        );
        expect(failed).toHaveLength(1);
        expect(errorMessage(failed[0]!)).toContain('no answer within 1000 ms');
        // Readiness came first; the write was still waiting on the lock.
        const ready = logs.findIndex((l) => l.msg === 'started: ready for traffic');
        expect(ready).toBeGreaterThanOrEqual(0);
        expect(logs.indexOf(failed[0]!)).toBeGreaterThan(ready);
        await locker.query('ROLLBACK');
        expect(await app.stop()).toBe(0);
      } finally {
        await locker.query('ROLLBACK').catch(() => {});
        await app.stop('SIGKILL');
        await withPg((pg) => pg.query(`DROP TABLE IF EXISTS ${table}`));
      }
    });
  });
});
