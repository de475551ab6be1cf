import { describe, expect, it } from 'vitest';
import { fakeCheck, fakeHealth } from '../test/health-fixture.js';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry } from './history-store.js';
import {
  type PoolSample,
  type PoolUse,
  poolAdvice,
  poolHistoryAdvice,
  poolSamples,
  poolUse,
} from './pool-advice.js';

const runs = (n: number, sample: (i: number) => Omit<PoolSample, 'plugin'>, plugin = 'postgres') =>
  Array.from({ length: n }, (_, i) => ({ plugin, ...sample(i) }));

describe('poolAdvice', () => {
  it('turns "pool max 20, never more than 4 in use over the last 50" into a concrete smaller max', () => {
    const advice = poolAdvice(runs(50, (i) => ({ inUse: i % 5, waiting: 0, max: 20 })));
    expect(advice).toEqual([
      {
        severity: 'EFFICIENCY',
        code: 'pool-oversized',
        plugin: 'postgres',
        message: 'postgres: pool max 20, never more than 4 in use over the last 50 health checks',
        action:
          'Lower "postgres" pool max to 8 (2 × the peak in use): the database keeps fewer idle connections for this service',
      },
    ]);
  });

  it('says nothing of a pool used up to half its max, or seen too few times', () => {
    expect(poolAdvice(runs(50, () => ({ inUse: 10, waiting: 0, max: 20 })))).toEqual([]);
    expect(poolAdvice(runs(19, () => ({ inUse: 1, waiting: 0, max: 20 })))).toEqual([]);
    expect(
      poolAdvice(
        runs(19, () => ({ inUse: 1, waiting: 0, max: 20 })),
        { minSamples: 10 },
      ),
    ).toHaveLength(1);
  });

  it('warns when clients waited for a connection', () => {
    const advice = poolAdvice(
      runs(10, (i) => ({ inUse: 20, waiting: i === 3 ? 5 : i === 7 ? 2 : 0, max: 20 })),
    );
    expect(advice).toMatchObject([
      {
        severity: 'WARNING',
        code: 'pool-waiting',
        message:
          'postgres: clients waited for a connection in 2 of 10 health checks (up to 5 at once), 20 in use at most of max 20',
        action:
          'Raise "postgres" pool max above 20, or release connections sooner (long transactions hold them)',
      },
    ]);
  });

  it('reads the pool figures a connector puts in its health details', () => {
    const health = fakeHealth({
      postgres: fakeCheck('pass', 2, { details: { totalCount: 6, idleCount: 2, waitingCount: 1, max: 20 } }),
      redis: fakeCheck('pass', 1, { details: { rttMs: 1 } }),
    });
    expect(poolSamples(health)).toEqual([{ plugin: 'postgres', inUse: 4, waiting: 1, max: 20 }]);
  });
});

const started = (i: number, pools?: PoolUse[]): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  report: fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [100] })]),
  ...(pools ? { pools } : {}),
});

describe('poolUse', () => {
  it('keeps the peak in use and waiting per plugin, the last max and the number of checks', () => {
    const use = poolUse([
      { plugin: 'postgres', inUse: 3, waiting: 0, max: 20 },
      { plugin: 'mysql', inUse: 1, waiting: 2 },
      { plugin: 'postgres', inUse: 1, waiting: 1, max: 20 },
    ]);
    expect(use).toEqual([
      { plugin: 'postgres', peakInUse: 3, peakWaiting: 1, max: 20, checks: 2 },
      { plugin: 'mysql', peakInUse: 1, peakWaiting: 2, checks: 1 },
    ]);
    // Folded onto the use so far, which is left as it was.
    expect(poolUse([{ plugin: 'postgres', inUse: 5, waiting: 0, max: 20 }], use)[0]).toEqual({
      plugin: 'postgres',
      peakInUse: 5,
      peakWaiting: 1,
      max: 20,
      checks: 3,
    });
    expect(use[0]?.peakInUse).toBe(3);
  });
});

describe('poolHistoryAdvice', () => {
  it('says "pool max 20, never more than 4 in use over the last 50 starts" from the runs the history recorded', () => {
    const entries = Array.from({ length: 50 }, (_, i) =>
      started(i, [{ plugin: 'postgres', peakInUse: i % 5, peakWaiting: 0, max: 20, checks: 30 }]),
    );
    // A run still going (no pools yet) is not counted.
    entries.push(started(50));
    expect(poolHistoryAdvice(entries)).toEqual([
      {
        severity: 'EFFICIENCY',
        code: 'pool-oversized',
        plugin: 'postgres',
        message: 'postgres: pool max 20, never more than 4 in use over the last 50 starts',
        action:
          'Lower "postgres" pool max to 8 (2 × the peak in use): the database keeps fewer idle connections for this service',
      },
    ]);
  });

  it('warns when clients waited in some runs, and says nothing from too few runs', () => {
    const waited = Array.from({ length: 10 }, (_, i) =>
      started(i, [{ plugin: 'postgres', peakInUse: 20, peakWaiting: i === 2 ? 3 : 0, max: 20, checks: 5 }]),
    );
    expect(poolHistoryAdvice(waited)).toMatchObject([
      { code: 'pool-waiting', message: expect.stringContaining('in 1 of 10 starts (up to 3 at once)') },
    ]);
    const few = Array.from({ length: 19 }, (_, i) =>
      started(i, [{ plugin: 'postgres', peakInUse: 1, peakWaiting: 0, max: 20, checks: 5 }]),
    );
    expect(poolHistoryAdvice(few)).toEqual([]);
  });
});
