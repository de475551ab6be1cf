import { describe, expect, it } from 'vitest';
import { fakeCheck, fakeHealth } from '../test/health-fixture.js';
import { type PoolSample, poolAdvice, poolSamples } from './pool-advice.js';

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
