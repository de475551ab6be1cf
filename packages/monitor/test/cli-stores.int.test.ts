import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/cli.js';
import { redisHistory } from '../src/redis-history.js';
import { sqlHistory } from '../src/sql-history.js';
import { fleetHistory } from './sample-starts.js';

// The same fleet history in the three stores the CLI reads; its answers must not depend on the store.
const run = randomBytes(4).toString('hex');
const table = `startup_cli_${run}`;
const key = `startup:cli:${run}`;
const postgresUrl = 'postgres://postgres@127.0.0.1:5432/test';
const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 1 });
const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
let dir: string;

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), columns: 100 },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: dir,
    env: {},
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'startup-monitor-stores-'));
  const entries = fleetHistory();
  await writeFile(join(dir, 'history.jsonl'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  await redis.connect();
  const sql = sqlHistory({ client: pool, table });
  const list = redisHistory({ client: redis, key });
  for (const entry of entries) {
    await sql.append(entry);
    await list.append(entry);
  }
});

afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS "${table}"`);
  await pool.end();
  await redis.del(key);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

describe('startup-monitor --store', () => {
  const stores = () => [
    ['--store', 'history.jsonl'],
    ['--store', postgresUrl, '--table', table],
    ['--store', 'redis://127.0.0.1:6379', '--key', key],
  ];

  it.each([
    ['report', '--instance', 'orders-api-3', '--fail-on-regression'],
    ['trend', '--instance', 'orders-api-3', '--fail-on-regression'],
    ['trend', '--service', 'orders-api', '--fail-on-regression'],
    ['plot', '--instance', 'orders-api-3'],
  ])('answers %s %s %s alike from a file, a PostgreSQL table and a Redis list', async (...args) => {
    const answers = [];
    for (const store of stores()) answers.push(await cli([...args, ...store]));
    expect(answers[0]!.stderr).toBe('');
    expect(answers[0]!.stdout.length).toBeGreaterThan(100);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('flags the slow instance against the fleet baseline read from PostgreSQL', async () => {
    const slow = await cli(['report', '--store', postgresUrl, '--table', table, '-i', 'orders-api-3']);
    expect(slow.stdout).toContain('(median of 10 completed starts across 3 instances): +40 %');
    const newest = await cli(['trend', '--store', postgresUrl, '--table', table, '--fail-on-regression']);
    expect(newest.code).toBe(0);
  });

  it('leaves no connection open on either server', async () => {
    await cli(['report', '--store', postgresUrl, '--table', table]);
    await cli(['report', '--store', 'redis://127.0.0.1:6379', '--key', key]);
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'startup-monitor'",
    );
    expect(rows[0].n).toBe(0);
    const clients = (await redis.client('LIST')) as string;
    expect(clients).not.toContain('name=startup-monitor');
  });

  it('exits 2 naming the store without its password when it cannot be read', async () => {
    const down = await cli(['report', '--store', 'postgres://postgres:s3cret-pw@127.0.0.1:1/test']);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot read postgres://postgres@127.0.0.1:1/test: ');
    expect(down.stderr).not.toContain('s3cret-pw');
    const noRedis = await cli(['report', '--store', 'redis://:s3cret-pw@127.0.0.1:1', '--key', key]);
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/^startup-monitor: cannot read redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(noRedis.stderr).not.toContain('s3cret-pw');
    const noTable = await cli(['report', '--store', postgresUrl, '--table', `${table}_none`]);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain(`no starts recorded in ${postgresUrl}`);
  });
});
