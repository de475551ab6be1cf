import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry, HistoryWarning } from './history-store.js';
import { jsonlHistory } from './jsonl-history.js';

const entry = (i: number): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  service: 'api',
  report: fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [100 + i] })]),
});

describe('jsonlHistory', () => {
  let dir: string;
  let file: string;
  let warnings: HistoryWarning[];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'monitor-history-'));
    file = join(dir, 'nested', 'history.jsonl');
    warnings = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const store = (maxEntries?: number) =>
    jsonlHistory({ file, onWarning: (w) => warnings.push(w), ...(maxEntries ? { maxEntries } : {}) });

  it('reads a missing file as an empty history', async () => {
    expect(await store().list()).toEqual([]);
  });

  it('appends one line per start, creating the directory, and lists them oldest first', async () => {
    const history = store();
    await history.append(entry(1));
    await history.append(entry(2));
    await history.append(entry(3));
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(4);
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([101, 102, 103]);
    expect((await history.list(2)).map((e) => e.report.wallMs)).toEqual([102, 103]);
    expect(await history.list(0)).toEqual([]);
    expect(await history.list()).toEqual([entry(1), entry(2), entry(3)]);
  });

  it('keeps only the newest maxEntries, rewriting the file through a temporary file', async () => {
    const history = store(3);
    for (let i = 1; i <= 5; i++) await history.append(entry(i));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([103, 104, 105]);
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(await readdir(join(dir, 'nested'))).toEqual(['history.jsonl']);
  });

  it("amends a start's line with the pool use learned at its shutdown, other lines (a corrupt one too) as they were", async () => {
    const history = store();
    await history.append(entry(1));
    await writeFile(file, `${await readFile(file, 'utf8')}{not json\n`);
    await history.append(entry(2));
    const pools = [{ plugin: 'postgres', peakInUse: 4, peakWaiting: 0, max: 20, checks: 12 }];
    await history.amend?.({ ...entry(1), pools });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toEqual([JSON.stringify({ ...entry(1), pools }), '{not json', JSON.stringify(entry(2))]);
    // A start no longer kept (or never written) changes nothing.
    await history.amend?.({ ...entry(9), pools });
    expect((await readFile(file, 'utf8')).trim().split('\n')).toEqual(lines);
    expect(await readdir(join(dir, 'nested'))).toEqual(['history.jsonl']);
  });

  it('runs concurrent appends in order without losing any', async () => {
    const history = store(5);
    await Promise.all(Array.from({ length: 8 }, (_, i) => history.append(entry(i))));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([103, 104, 105, 106, 107]);
  });

  it('skips a corrupt line with a warning naming it and keeps every other line', async () => {
    const history = store();
    await history.append(entry(1));
    await writeFile(file, `${await readFile(file, 'utf8')}{"not json\n{"recordedAt":"x"}\n`);
    await history.append(entry(2));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([101, 102]);
    expect(warnings.map((w) => w.source)).toEqual([`${file}:2`, `${file}:3`, `${file}:2`, `${file}:3`]);
    expect(warnings[0]!.code).toBe('STARTUP_WARN_HISTORY_CORRUPT');
  });

  it('skips an entry whose shape is wrong with a one-line warning naming the field', async () => {
    const history = store();
    await history.append(entry(1));
    const spoilt = JSON.parse(JSON.stringify(entry(2)));
    spoilt.report.plugins = [null];
    await writeFile(file, `${await readFile(file, 'utf8')}${JSON.stringify(spoilt)}\n`);
    await history.append(entry(3));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([101, 103]);
    expect(warnings.at(-1)).toEqual({
      code: 'STARTUP_WARN_HISTORY_CORRUPT',
      source: `${file}:2`,
      message: `Skipped an invalid entry (entry.report.plugins[0] is not an object) in start-up history ${file}:2`,
    });
  });

  it('lists an entry an older version wrote, whose report names the end of its critical path criticalPathMs', async () => {
    const older = JSON.parse(JSON.stringify(entry(1)));
    delete older.report.criticalPathEndMs;
    const newer = JSON.parse(JSON.stringify(entry(2)));
    delete newer.report.criticalPathMs;
    await mkdir(join(dir, 'nested'));
    await writeFile(file, `${JSON.stringify(older)}\n${JSON.stringify(newer)}\n`);
    const listed = await store().list();
    expect(listed.map((e) => [e.report.criticalPathEndMs, e.report.criticalPathMs])).toEqual([
      [101, 101],
      [102, 102],
    ]);
    expect(warnings).toEqual([]);
  });

  it('does not glue a new entry onto a partial last line', async () => {
    const history = store();
    await history.append(entry(1));
    await writeFile(file, `${await readFile(file, 'utf8')}{"recordedAt":"2025-01-01T00:09:00.000Z","rep`);
    await history.append(entry(2));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([101, 102]);
    expect(warnings).toHaveLength(2);
  });

  it('drops corrupt lines only when it rewrites past the bound', async () => {
    const history = store(2);
    await history.append(entry(1));
    await writeFile(file, `${await readFile(file, 'utf8')}garbage\n`);
    await history.append(entry(2));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([101, 102]);
    expect((await readFile(file, 'utf8')).includes('garbage')).toBe(false);
  });

  it('rejects a bad entry and bad options with STARTUP_ERR_INVALID_OPTION', async () => {
    await expect(store().append({ recordedAt: 'x' } as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
    });
    const missing = { ...entry(1), report: { ...entry(1).report, plugins: [{ name: 'pg' }] } };
    await expect(store().append(missing as never)).rejects.toThrow(
      /"entry\.report\.plugins\[0\]\.dependsOn"/,
    );
    await expect(store().list(-1)).rejects.toThrow(/"limit"/);
    expect(() => jsonlHistory({ file: '' })).toThrow(/"file"/);
    expect(() => jsonlHistory({ file, maxEntries: 0 })).toThrow(/"maxEntries"/);
  });

  it('rejects with STARTUP_ERR_HISTORY_IO naming the file when it cannot be read', async () => {
    const history = jsonlHistory({ file: dir });
    await expect(history.list()).rejects.toMatchObject({
      code: 'STARTUP_ERR_HISTORY_IO',
      message: expect.stringContaining(dir),
    });
  });
});
