import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry, HistoryWarning } from './history-store.js';
import { sqlHistory } from './sql-history.js';

/** An in-memory stand-in for PostgreSQL that understands only the statements the store sends. */
class FakeSql {
  tables = new Map<
    string,
    {
      id: number;
      recorded_at: Date;
      service: string | null;
      instance?: string | null;
      variant?: string | null;
      prediction?: unknown;
      pools?: unknown;
      report: unknown;
    }[]
  >();
  /** Columns added by ALTER TABLE, per table. */
  altered = new Set<string>();
  statements: string[] = [];
  nextId = 1;
  failWith: (Error & { code?: string }) | undefined;
  jsonAsText = false;

  query = async (text: string, params: unknown[] = []): Promise<{ rows: any[] }> => {
    this.statements.push(text);
    if (this.failWith) {
      const error = this.failWith;
      this.failWith = undefined;
      throw error;
    }
    let m = /^CREATE TABLE IF NOT EXISTS (\S+) \(/.exec(text);
    if (m) {
      if (!this.tables.has(m[1]!)) this.tables.set(m[1]!, []);
      return { rows: [] };
    }
    m =
      /^ALTER TABLE (\S+) ADD COLUMN IF NOT EXISTS instance TEXT, ADD COLUMN IF NOT EXISTS variant TEXT, ADD COLUMN IF NOT EXISTS prediction JSONB, ADD COLUMN IF NOT EXISTS pools JSONB$/.exec(
        text,
      );
    if (m) {
      this.table(m[1]!);
      this.altered.add(m[1]!);
      return { rows: [] };
    }
    m =
      /^INSERT INTO (\S+) \(recorded_at, service, instance, variant, prediction, pools, report\) VALUES \(\$1, \$2, \$3, \$4, \$5::jsonb, \$6::jsonb, \$7::jsonb\)$/.exec(
        text,
      );
    if (m) {
      if (!this.altered.has(m[1]!))
        throw Object.assign(new Error('column "instance" does not exist'), { code: '42703' });
      this.table(m[1]!).push({
        id: this.nextId++,
        recorded_at: new Date(params[0] as string),
        service: params[1] as string | null,
        instance: params[2] as string | null,
        variant: params[3] as string | null,
        prediction: params[4] === null ? null : JSON.parse(params[4] as string),
        pools: params[5] === null ? null : JSON.parse(params[5] as string),
        report: JSON.parse(params[6] as string),
      });
      return { rows: [] };
    }
    m =
      /^UPDATE (\S+) SET pools = \$1::jsonb WHERE recorded_at = \$2 AND instance IS NOT DISTINCT FROM \$3 AND service IS NOT DISTINCT FROM \$4$/.exec(
        text,
      );
    if (m) {
      for (const row of this.table(m[1]!)) {
        const same =
          row.recorded_at.getTime() === new Date(params[1] as string).getTime() &&
          (row.instance ?? null) === params[2] &&
          row.service === params[3];
        if (same) row.pools = params[0] === null ? null : JSON.parse(params[0] as string);
      }
      return { rows: [] };
    }
    m = /^DELETE FROM (\S+) WHERE id <= \(SELECT id FROM \1 ORDER BY id DESC OFFSET \$1 LIMIT 1\)$/.exec(
      text,
    );
    if (m) {
      const rows = this.table(m[1]!);
      const cut = [...rows].sort((a, b) => b.id - a.id)[params[0] as number];
      if (cut)
        this.tables.set(
          m[1]!,
          rows.filter((r) => r.id > cut.id),
        );
      return { rows: [] };
    }
    m =
      /^SELECT id, recorded_at, service, instance, variant, prediction, pools, report FROM (\S+) ORDER BY id DESC LIMIT \$1$/.exec(
        text,
      );
    if (m) {
      const rows = [...this.table(m[1]!)]
        .sort((a, b) => b.id - a.id)
        .slice(0, (params[0] as number | null) ?? undefined);
      return {
        rows: rows.map((r) => ({ ...r, report: this.jsonAsText ? JSON.stringify(r.report) : r.report })),
      };
    }
    throw new Error(`FakeSql does not understand: ${text}`);
  };

  table(name: string) {
    const t = this.tables.get(name);
    if (!t) throw Object.assign(new Error(`relation ${name} does not exist`), { code: '42P01' });
    return t;
  }
}

const entry = (i: number, service?: string): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  ...(service ? { service } : {}),
  report: fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [100 + i] })]),
});

describe('sqlHistory', () => {
  it('creates its table once, appends and lists oldest first', async () => {
    const db = new FakeSql();
    const history = sqlHistory({ client: db });
    await history.append(entry(1, 'api'));
    await history.append(entry(2));
    expect(await history.list()).toEqual([entry(1, 'api'), entry(2)]);
    expect(await history.list(1)).toEqual([entry(2)]);
    expect(await history.list(0)).toEqual([]);
    expect(db.statements.filter((s) => s.startsWith('CREATE'))).toHaveLength(1);
    expect(db.tables.has('"startup_history"')).toBe(true);
  });

  it('keeps the instance, variant and prediction of each start', async () => {
    const db = new FakeSql();
    const history = sqlHistory({ client: db });
    const full: HistoryEntry = {
      ...entry(1, 'api'),
      instance: 'api-2',
      variant: 'pool-4',
      prediction: { wallMs: 120, basedOn: 3, plugins: { postgres: 100 } },
    };
    await history.append(full);
    expect(await history.list()).toEqual([full]);
  });

  it("amends a start's row with the pool use learned at its shutdown, and no other row", async () => {
    const sql = new FakeSql();
    const history = sqlHistory({ client: sql.query });
    const first = { ...entry(1, 'api'), instance: 'api-1' };
    const second = { ...entry(2, 'api'), instance: 'api-1' };
    await history.append(first);
    await history.append(second);
    const pools = [{ plugin: 'postgres', peakInUse: 4, peakWaiting: 0, max: 20, checks: 30 }];
    await history.amend?.({ ...first, pools });
    expect(await history.list()).toEqual([{ ...first, pools }, second]);
  });

  it('keeps only the newest maxEntries rows', async () => {
    const db = new FakeSql();
    const history = sqlHistory({ client: db.query, table: 'ops.starts', maxEntries: 2 });
    for (let i = 1; i <= 4; i++) await history.append(entry(i));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([103, 104]);
    expect(db.tables.get('"ops"."starts"')).toHaveLength(2);
  });

  it('reads reports stored as text as well as parsed JSON', async () => {
    const db = new FakeSql();
    db.jsonAsText = true;
    const history = sqlHistory({ client: db });
    await history.append(entry(1));
    expect(await history.list()).toEqual([entry(1)]);
  });

  it('skips a corrupt row with a warning and keeps the others', async () => {
    const db = new FakeSql();
    const warnings: HistoryWarning[] = [];
    const history = sqlHistory({ client: db, onWarning: (w) => warnings.push(w) });
    await history.append(entry(1));
    await history.append(entry(2));
    db.tables.get('"startup_history"')![0]!.report = { nope: true };
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([102]);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'STARTUP_WARN_HISTORY_CORRUPT', source: 'startup_history#1' }),
    ]);
  });

  it('skips a row whose report has a wrong shape, naming the field', async () => {
    const db = new FakeSql();
    const warnings: HistoryWarning[] = [];
    const history = sqlHistory({ client: db, onWarning: (w) => warnings.push(w) });
    await history.append(entry(1));
    await history.append(entry(2));
    const row = db.tables.get('"startup_history"')![1]!;
    row.report = { ...(row.report as object), plugins: [{ name: 5 }] };
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([101]);
    expect(warnings).toEqual([
      expect.objectContaining({
        source: 'startup_history#2',
        message: expect.stringContaining('(entry.report.plugins[0].name is not a string)'),
      }),
    ]);
  });

  it('tolerates losing the race to create the table', async () => {
    const db = new FakeSql();
    db.tables.set('"startup_history"', []);
    db.failWith = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
    });
    await sqlHistory({ client: db }).append(entry(1));
    expect(db.tables.get('"startup_history"')).toHaveLength(1);
  });

  it('rejects with STARTUP_ERR_HISTORY_IO on a database error, and retries creating the table later', async () => {
    const db = new FakeSql();
    db.failWith = new Error('connection terminated');
    const history = sqlHistory({ client: db });
    await expect(history.list()).rejects.toMatchObject({
      code: 'STARTUP_ERR_HISTORY_IO',
      message: expect.stringContaining('connection terminated'),
    });
    await history.append(entry(1));
    expect(await history.list()).toHaveLength(1);
  });

  it('rejects bad options and entries naming the field', async () => {
    const db = new FakeSql();
    expect(() => sqlHistory({ client: {} as never })).toThrow(/"client"/);
    expect(() => sqlHistory({ client: db, table: 'x; DROP TABLE y' })).toThrow(/"table"/);
    expect(() => sqlHistory({ client: db, maxEntries: 1.5 })).toThrow(/"maxEntries"/);
    await expect(sqlHistory({ client: db }).append({} as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
    });
    await expect(sqlHistory({ client: db }).list(-2)).rejects.toThrow(/"limit"/);
    expect(db.statements).toEqual([]);
  });
});
