import { criticalPath } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { analyze } from './analyze.js';
import { loopbackGrades } from './grade.js';

describe('analyze', () => {
  it('computes parallel efficiency on the origin example (20 s, 15 s, 25 s in parallel)', () => {
    const report = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [20_000] }),
      fakePlugin('redis', { startMs: 0, attemptsMs: [15_000] }),
      fakePlugin('nats', { startMs: 0, attemptsMs: [25_000] }),
    ]);
    const a = analyze(report);
    expect(a.wallMs).toBe(25_000);
    expect(a.sumMs).toBe(60_000);
    expect(a.efficiency).toBeCloseTo(2.4);
    expect(a.criticalPath).toEqual(['nats']);
    expect(a.criticalPathWorkMs).toBe(25_000);
    expect(a.bestEfficiency).toBeCloseTo(2.4);
    expect(a.grade).toEqual({ grade: 'C', label: 'ACCEPTABLE' });
    expect(a.bottlenecks.map((b) => b.plugin)).toEqual(['nats']);
  });

  it('follows the latest-ready dependency to find the critical path and the wait on it', () => {
    const report = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [4_000] }),
      fakePlugin('redis', { startMs: 0, attemptsMs: [1_000] }),
      fakePlugin('api', { dependsOn: ['redis', 'postgres'], startMs: 4_000, attemptsMs: [2_000] }),
      fakePlugin('cache', { dependsOn: ['redis'], startMs: 1_000, attemptsMs: [1_000] }),
    ]);
    const a = analyze(report);
    expect(a.criticalPath).toEqual(['postgres', 'api']);
    expect(a.criticalPathWorkMs).toBe(6_000);
    expect(a.sumMs).toBe(8_000);
    expect(a.efficiency).toBeCloseTo(8 / 6);
    const api = a.plugins.find((p) => p.name === 'api')!;
    expect(api).toMatchObject({ waitMs: 4_000, waitedOn: 'postgres', ownMs: 2_000, onCriticalPath: true });
    const cache = a.plugins.find((p) => p.name === 'cache')!;
    expect(cache).toMatchObject({ waitMs: 1_000, waitedOn: 'redis', onCriticalPath: false });
    expect(a.bottlenecks.map((b) => b.plugin)).toEqual(['postgres', 'api']);
    expect(a.bottlenecks[0]!.share).toBeCloseTo(4 / 6);
  });

  it('separates own work, failed attempts and backoff of a plugin that retried', () => {
    const report = fakeReport([
      fakePlugin('redis', {
        startMs: 0,
        attemptsMs: [100, 100, 200],
        delaysMs: [400, 800],
        errorCodes: ['ECONNREFUSED', 'STARTUP_ERR_ATTEMPT_TIMEOUT'],
      }),
    ]);
    const [redis] = analyze(report).plugins;
    expect(redis).toMatchObject({
      ownMs: 400,
      backoffMs: 1_200,
      failedAttemptMs: 200,
      retries: 2,
      attempts: 3,
      durationMs: 1_600,
      timeouts: 1,
      errorCodes: ['ECONNREFUSED', 'STARTUP_ERR_ATTEMPT_TIMEOUT'],
    });
  });

  it('shows slack when a plugin began later than its dependency was ready', () => {
    const report = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [1_000] }),
      fakePlugin('redis', { startMs: 0, attemptsMs: [1_000] }),
      fakePlugin('api', { dependsOn: ['postgres'], startMs: 3_000, attemptsMs: [1_000] }),
    ]);
    const a = analyze(report);
    expect(a.wallMs).toBe(4_000);
    expect(a.criticalPathWorkMs).toBe(2_000);
    expect(a.criticalPathMs).toBe(a.criticalPathWorkMs);
    // The chain ended at 4 s (the report's criticalPathEndMs); its plugins worked 2 s of that.
    expect(criticalPath(report.plugins, report.wallMs)).toEqual({ path: ['postgres', 'api'], endMs: 4_000 });
    expect(a.slackMs).toBe(2_000);
    expect(a.efficiency).toBeCloseTo(0.75);
    expect(a.bestEfficiency).toBeCloseTo(1.5);
  });

  it('ends the critical path at a failed plugin and leaves skipped ones out', () => {
    const report = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [500, 500], delaysMs: [1_000], status: 'failed' }),
      fakePlugin('redis', { startMs: 0, attemptsMs: [100] }),
      fakePlugin('repo', { dependsOn: ['postgres'], status: 'skipped', endMs: 2_000 }),
    ]);
    const a = analyze(report);
    expect(a.status).toBe('failed');
    expect(a.criticalPath).toEqual(['postgres']);
    const repo = a.plugins.find((p) => p.name === 'repo')!;
    expect(repo).toMatchObject({
      durationMs: 0,
      attempts: 0,
      retries: 0,
      onCriticalPath: false,
      waitMs: 2_000,
    });
    expect(a.plugins[0]).toMatchObject({ failedAttemptMs: 1_000, backoffMs: 1_000, durationMs: 2_000 });
  });

  it('grades a failed start F (FAILED) however fast it failed, and a ready one by its time', () => {
    const fast = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [500], status: 'failed' })]);
    expect(analyze(fast).grade).toEqual({ grade: 'F', label: 'FAILED' });
    expect(analyze({ ...fast, status: 'aborted' }).grade).toEqual({ grade: 'F', label: 'FAILED' });
    expect(analyze({ ...fast, status: 'ready' }).grade).toEqual({ grade: 'A', label: 'EXCELLENT' });
  });

  it('analyses a report taken while the start runs', () => {
    const report = fakeReport(
      [
        fakePlugin('postgres', { startMs: 0, attemptsMs: [50] }),
        fakePlugin('nats', { startMs: 0, attemptsMs: [30], status: 'starting' }),
        fakePlugin('api', { dependsOn: ['nats'], status: 'pending' }),
      ],
      { status: 'starting', wallMs: 120 },
    );
    const a = analyze(report, { grades: loopbackGrades });
    expect(a.criticalPath).toEqual(['nats']);
    expect(a.plugins[1]).toMatchObject({ ownMs: 120, durationMs: 120, endMs: 120 });
    expect(a.plugins[2]).toMatchObject({ waitMs: 120, durationMs: 0 });
    expect(a.grade.grade).toBe('A');
  });

  it('times steps and finds the slowest', () => {
    const report = fakeReport([
      fakePlugin('postgres', {
        startMs: 0,
        attemptsMs: [3_000],
        steps: [
          { name: 'connect', startMs: 0, endMs: 200 },
          { name: 'warm-up', startMs: 200, endMs: 3_000 },
        ],
      }),
    ]);
    const [pg] = analyze(report).plugins;
    expect(pg!.slowestStep).toEqual({ name: 'warm-up', attempt: 1, durationMs: 2_800, failed: false });
    expect(analyze(report).bottlenecks[0]!.slowestStep?.name).toBe('warm-up');
  });

  it('carries event-loop blocking per plugin when given', () => {
    const report = fakeReport([
      fakePlugin('a', { startMs: 0, attemptsMs: [10] }),
      fakePlugin('b', { startMs: 0 }),
    ]);
    const a = analyze(report, { blockedMs: { a: 40 } });
    expect(a.plugins.map((p) => p.blockedMs)).toEqual([40, 0]);
    expect(a.blockedMs).toBe(40);
    expect(analyze(report).plugins[0]!.blockedMs).toBeUndefined();
  });

  it('reports an efficiency of 1 when nothing took time', () => {
    const a = analyze(fakeReport([]));
    expect(a).toMatchObject({ wallMs: 0, sumMs: 0, efficiency: 1, bestEfficiency: 1, criticalPath: [] });
  });

  it('rejects something that is not a report', () => {
    expect(() => analyze({} as never)).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
    expect(() => analyze(fakeReport([]), { grades: { A: 2, B: 1, C: 3, D: 4 } })).toThrow(/grades\.B/);
  });
});
