import type { StartupStatus } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry } from './history-store.js';
import { trend } from './trend.js';

const start = (
  i: number,
  pg: number,
  redis: number,
  status: StartupStatus = 'ready',
  service = 'api',
): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  service,
  report: fakeReport(
    [
      fakePlugin('postgres', { startMs: 0, attemptsMs: [pg] }),
      fakePlugin('redis', { startMs: 0, attemptsMs: [redis] }),
    ],
    { status },
  ),
});

describe('trend', () => {
  it('compares the newest start with the median of the ones before it', () => {
    const entries = [start(1, 100, 50), start(2, 300, 50), start(3, 200, 50), start(4, 230, 50)];
    const t = trend(entries);
    expect(t.baselineMs).toBe(200);
    expect(t.baselineSize).toBe(3);
    expect(t.latest).toMatchObject({ wallMs: 230, status: 'ready', service: 'api' });
    expect(t.changePercent).toBeCloseTo(15);
    expect(t.regression).toBe(false);
    expect(t.points.map((p) => p.wallMs)).toEqual([100, 300, 200, 230]);
  });

  it('flags a regression only above 20 % over the baseline', () => {
    expect(trend([start(1, 100, 1), start(2, 120, 1)]).regression).toBe(false);
    const t = trend([start(1, 100, 1), start(2, 120.1, 1)]);
    expect(t.regression).toBe(true);
    expect(t.regressionPercent).toBe(20);
    expect(trend([start(1, 100, 1), start(2, 115, 1)], { regressionPercent: 10 }).regression).toBe(true);
  });

  it('uses only the last baselineWindow completed starts before the newest', () => {
    const entries = [
      ...Array.from({ length: 5 }, (_, i) => start(i, 1_000, 1)),
      ...Array.from({ length: 10 }, (_, i) => start(10 + i, 100, 1)),
      start(30, 9_999, 1, 'failed'),
      start(31, 110, 1),
    ];
    const t = trend(entries);
    expect(t.baselineSize).toBe(10);
    expect(t.baselineMs).toBe(100);
    expect(t.changePercent).toBeCloseTo(10);
    expect(trend(entries, { baselineWindow: 16 }).baselineMs).toBe(100);
    expect(trend(entries, { baselineWindow: 16 }).baselineSize).toBe(15);
  });

  it('computes per-plugin medians and changes', () => {
    const t = trend([start(1, 100, 40), start(2, 100, 60), start(3, 100, 50), start(4, 90, 80)]);
    expect(t.plugins).toEqual([
      { plugin: 'postgres', latestMs: 90, medianMs: 100, changePercent: -10, regression: false, samples: 3 },
      { plugin: 'redis', latestMs: 80, medianMs: 50, changePercent: 60, regression: true, samples: 3 },
    ]);
  });

  it('lists a plugin seen only in the baseline without a latest figure', () => {
    const old = start(1, 100, 50);
    const latest: HistoryEntry = {
      ...start(2, 100, 50),
      report: fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [100] })]),
    };
    expect(trend([old, latest]).plugins[1]).toEqual({
      plugin: 'redis',
      medianMs: 50,
      regression: false,
      samples: 1,
    });
  });

  it('has no baseline for a single start or an empty history', () => {
    expect(trend([])).toMatchObject({ points: [], baselineSize: 0, regression: false, plugins: [] });
    const one = trend([start(1, 100, 50)]);
    expect(one.baselineMs).toBeUndefined();
    expect(one.changePercent).toBeUndefined();
    expect(one.plugins[0]).toEqual({ plugin: 'postgres', latestMs: 100, regression: false, samples: 0 });
  });

  it('filters by service in a shared history', () => {
    const entries = [
      start(1, 100, 1, 'ready', 'a'),
      start(2, 999, 1, 'ready', 'b'),
      start(3, 100, 1, 'ready', 'a'),
    ];
    expect(trend(entries, { service: 'a' })).toMatchObject({ baselineMs: 100, changePercent: 0 });
  });

  it('compares the newest start of an instance with the fleet baseline of the starts before it', () => {
    const on = (instance: string, e: HistoryEntry): HistoryEntry => ({ ...e, instance });
    const entries = [
      on('api-1', start(1, 100, 1)),
      on('api-2', start(2, 110, 1)),
      on('api-3', start(3, 90, 1)),
      on('slow', start(4, 300, 80)),
      // Another instance recorded after the slow one: not part of the slow start's baseline.
      on('api-1', start(5, 5, 1)),
    ];
    const t = trend(entries, { instance: 'slow' });
    expect(t.latest).toMatchObject({ instance: 'slow', wallMs: 300 });
    expect(t.baselineMs).toBe(100);
    expect(t.baselineSize).toBe(3);
    expect(t.baselineInstances).toEqual(['api-1', 'api-2', 'api-3']);
    expect(t.regression).toBe(true);
    expect(t.plugins.find((p) => p.plugin === 'redis')).toMatchObject({ regression: true, medianMs: 1 });
    // Without the instance, the newest start of the store is compared.
    expect(trend(entries).latest).toMatchObject({ instance: 'api-1', wallMs: 5 });
    expect(trend(entries).baselineInstances).toEqual(['api-1', 'api-2', 'api-3', 'slow']);
  });

  it('has nothing to compare for an instance that never started', () => {
    const t = trend([{ ...start(1, 100, 1), instance: 'a' }], { instance: 'b' });
    expect(t.latest).toBeUndefined();
    expect(t.baselineSize).toBe(0);
    expect(t.points).toHaveLength(1);
  });

  it('rejects bad options naming the field', () => {
    expect(() => trend([], { instance: '' })).toThrow(/instance/);
    expect(() => trend([], { baselineWindow: 0 })).toThrow(/baselineWindow/);
    expect(() => trend([], { regressionPercent: -1 })).toThrow(/regressionPercent/);
    expect(() => trend('x' as never)).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });
});
