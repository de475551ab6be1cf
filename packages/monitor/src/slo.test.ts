import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry } from './history-store.js';
import { sloText, startupSlo } from './slo.js';

const entry = (
  wallMs: number,
  status: 'ready' | 'failed' | 'aborted' = 'ready',
  service = 'api',
): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, wallMs % 60)).toISOString(),
  service,
  report: fakeReport([fakePlugin('db', { startMs: 0, attemptsMs: [wallMs], status })], { status }),
});

describe('startupSlo', () => {
  it('takes the nearest-rank p95 of the completed starts: the 19th of 20 sorted', () => {
    const walls = Array.from({ length: 20 }, (_, i) => (i + 1) * 1_000); // 1 s … 20 s
    const slo = startupSlo(walls.map((w) => entry(w)));
    expect(slo.startTime).toMatchObject({ actual: 19_000, target: 20_000, met: true, measured: 20 });
    expect(slo.met).toBe(true);
  });

  it('says by how much the start time is over, and over which starts', () => {
    const slo = startupSlo([entry(10_000), entry(25_000)], { objectiveMs: 20_000 });
    expect(slo.startTime).toMatchObject({ actual: 25_000, by: 5_000, met: false });
    expect(slo.startTime.text).toBe('start time p95 ≤ 20.0 s: 25.0 s — BREACHED, over by 5.0 s');
  });

  it('counts failed starts against finished ones, leaves aborted starts out, and wants the rate below 1 %', () => {
    const ok = Array.from({ length: 99 }, () => entry(1_000));
    expect(startupSlo([...ok, entry(1, 'failed')], { window: 100 }).failureRate).toMatchObject({
      actual: 0.01,
      failures: 1,
      measured: 100,
      met: false,
      by: 0,
    });
    const rate = startupSlo([...ok, entry(1, 'failed'), entry(1, 'aborted'), ...ok], {
      window: 200,
    }).failureRate;
    expect([rate.measured, rate.failures, rate.met]).toEqual([199, 1, true]);
    expect(rate.text).toBe('failure rate < 1 %: 0.5 % (1 of 199) — met');
  });

  it('measures only the newest `window` starts of the service asked for', () => {
    const history = [entry(1, 'failed'), entry(2_000), entry(3_000), entry(90_000, 'ready', 'other')];
    const slo = startupSlo(history, { window: 2, service: 'api' });
    expect([slo.window.starts, slo.failureRate.actual, slo.startTime.actual]).toEqual([2, 0, 3_000]);
  });

  it('meets an objective with nothing to measure', () => {
    const slo = startupSlo([entry(1, 'aborted')]);
    expect([slo.startTime.met, slo.failureRate.met, slo.startTime.actual]).toEqual([true, true, undefined]);
    expect(sloText(slo)).toContain('no completed start');
  });

  it('names the bad option', () => {
    expect(() => startupSlo([], { percentile: 0 })).toThrow(/slo.percentile/);
    expect(() => startupSlo([], { maxFailureRate: 2 })).toThrow(/slo.maxFailureRate/);
    expect(() => startupSlo([], { window: 0 })).toThrow(/slo.window/);
  });
});
