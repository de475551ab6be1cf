import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { analyze } from './analyze.js';
import { loopbackGrades } from './grade.js';
import { recommend } from './recommend.js';

const codes = (r: ReturnType<typeof recommend>) => r.map((x) => `${x.severity}:${x.code}:${x.plugin ?? ''}`);

describe('recommend', () => {
  it('calls a start under the A bound EXCELLENT and nothing else', () => {
    const a = analyze(fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [8_000] })]));
    const r = recommend(a);
    expect(codes(r)).toEqual(['EXCELLENT:start-excellent:']);
    expect(r[0]!.message).toContain('8.0 s');
  });

  it('calls a start at or over the D bound CRITICAL and names the top bottleneck', () => {
    const a = analyze(
      fakeReport([
        fakePlugin('postgres', { startMs: 0, attemptsMs: [61_000] }),
        fakePlugin('redis', { startMs: 0, attemptsMs: [1_000] }),
      ]),
    );
    const [critical] = recommend(a);
    expect(critical).toMatchObject({ severity: 'CRITICAL', code: 'start-critical', plugin: 'postgres' });
    expect(critical!.action).toContain('"postgres"');
    expect(
      codes(recommend(analyze(fakeReport([fakePlugin('p', { startMs: 0, attemptsMs: [59_999] })])))),
    ).toEqual([]);
  });

  it('warns about retries against one service with the error code and backoff', () => {
    const a = analyze(
      fakeReport([fakePlugin('redis', { startMs: 0, attemptsMs: [10, 10, 10], delaysMs: [1_000, 2_000] })]),
    );
    const r = recommend(a).find((x) => x.code === 'retries')!;
    expect(r).toMatchObject({ severity: 'WARNING', plugin: 'redis' });
    expect(r.message).toContain('3 attempts');
    expect(r.message).toContain('3.0 s of backoff');
    expect(r.action).toContain('Repeated ECONNREFUSED');
    const once = analyze(
      fakeReport([fakePlugin('redis', { startMs: 0, attemptsMs: [10, 10], delaysMs: [100] })]),
    );
    expect(recommend(once).find((x) => x.code === 'retries')!.action).not.toContain('Repeated');
  });

  it('speaks of repeated failures when the errors carry no code', () => {
    const report = fakeReport([
      fakePlugin('redis', { startMs: 0, attemptsMs: [10, 10, 10], delaysMs: [50, 50] }),
    ]);
    for (const a of report.plugins[0]!.attempts) delete a.error?.code;
    const r = recommend(analyze(report)).find((x) => x.code === 'retries')!;
    expect(r.message).toBe('"redis" needed 3 attempts (100 ms of backoff, 20 ms in failed attempts)');
    expect(r.action).toMatch(/^Repeated failures against the same service/);
  });

  it('warns about attempt timeouts', () => {
    const a = analyze(
      fakeReport([
        fakePlugin('nats', {
          startMs: 0,
          attemptsMs: [500, 20],
          delaysMs: [10],
          errorCodes: ['STARTUP_ERR_ATTEMPT_TIMEOUT'],
        }),
      ]),
    );
    expect(codes(recommend(a))).toEqual([
      'WARNING:attempt-timeouts:nats',
      'WARNING:retries:nats',
      'EXCELLENT:start-excellent:',
    ]);
  });

  it('recognises a slow pool warm-up on the critical path', () => {
    const a = analyze(
      fakeReport([
        fakePlugin('postgres', {
          startMs: 0,
          attemptsMs: [20_000],
          steps: [
            { name: 'connect', startMs: 0, endMs: 1_000 },
            { name: 'warm-up', startMs: 1_000, endMs: 20_000 },
          ],
        }),
      ]),
    );
    const r = recommend(a).find((x) => x.code === 'slow-step')!;
    expect(r).toMatchObject({ severity: 'WARNING', plugin: 'postgres' });
    expect(r.action).toContain('Slow pool warm-up');
    expect(r.message).toContain('95 %');
  });

  it('names a dependency edge that serialises work', () => {
    const a = analyze(
      fakeReport([
        fakePlugin('postgres', { startMs: 0, attemptsMs: [5_000] }),
        fakePlugin('search', { dependsOn: ['postgres'], startMs: 5_000, attemptsMs: [6_000] }),
      ]),
    );
    const r = recommend(a).find((x) => x.code === 'serialising-dependency')!;
    expect(r).toMatchObject({ severity: 'EFFICIENCY', plugin: 'search' });
    expect(r.action).toContain('drop "postgres" from its dependsOn');
    expect(r.action).toContain('5.0 s saved');
  });

  it('reports blocking init when blocking figures are present', () => {
    const report = fakeReport([fakePlugin('config', { startMs: 0, attemptsMs: [300] })]);
    const r = recommend(analyze(report, { grades: loopbackGrades, blockedMs: { config: 250 } }));
    expect(codes(r)).toContain('EFFICIENCY:blocking-init:config');
    expect(
      codes(recommend(analyze(report, { grades: loopbackGrades, blockedMs: { config: 5 } }))),
    ).not.toContain('EFFICIENCY:blocking-init:config');
  });

  it('flags efficiency far below what the graph allows', () => {
    const a = analyze(
      fakeReport([
        fakePlugin('a', { startMs: 0, attemptsMs: [1_000] }),
        fakePlugin('b', { startMs: 0, attemptsMs: [1_000] }),
        fakePlugin('c', { dependsOn: ['a'], startMs: 5_000, attemptsMs: [1_000] }),
      ]),
      { grades: loopbackGrades },
    );
    expect(a.efficiency).toBeLessThan(a.bestEfficiency * 0.75);
    const r = recommend(a).find((x) => x.code === 'low-efficiency')!;
    expect(r.severity).toBe('EFFICIENCY');
    expect(r.message).toContain('50 %');
    expect(r.message).toContain('150 %');
  });

  it('reports a failed required plugin as CRITICAL and a failed optional one as WARNING', () => {
    const a = analyze(
      fakeReport([
        fakePlugin('postgres', { startMs: 0, attemptsMs: [10], status: 'failed', errorCodes: ['28P01'] }),
        fakePlugin('metrics', { startMs: 0, attemptsMs: [10], status: 'failed', optional: true }),
      ]),
    );
    const r = recommend(a);
    expect(codes(r)).toEqual(['CRITICAL:start-failed:postgres', 'WARNING:optional-failed:metrics']);
    expect(r[0]!.message).toContain('[28P01]');
  });

  describe('after a failed start, blames the plugin that failed, not those it stopped', () => {
    const failure = (plugin?: string) => ({
      name: 'StartupError',
      code: plugin ? 'STARTUP_ERR_PLUGIN_FAILED' : 'STARTUP_ERR_DEADLINE',
      message: plugin ? `Plugin "${plugin}" failed after 3 attempts` : 'Start-up deadline of 1500 ms passed',
      ...(plugin ? { plugin } : {}),
    });
    // Aborted during its last attempt (or the backoff after it), for `reason`.
    const aborted = (name: string, attemptsMs: number[], reason: ReturnType<typeof failure>) => {
      const p = fakePlugin(name, {
        startMs: 0,
        attemptsMs,
        delaysMs: attemptsMs.map(() => 5),
        status: 'aborted',
      });
      p.attempts.at(-1)!.error = reason;
      p.error = reason;
      return p;
    };

    it('names the plugins that never began under the one they waited on, not on their own', () => {
      const deadline = failure();
      const postgres = aborted('postgres', [10, 10, 10], deadline);
      // Its attempts failed for a reason of their own before the deadline cut the last backoff short.
      postgres.attempts.forEach((a) => {
        a.error = { name: 'Error', code: 'ECONNREFUSED', message: 'refused' };
      });
      const report = fakeReport(
        [
          postgres,
          fakePlugin('events-table', { dependsOn: ['postgres'], status: 'aborted', endMs: 45 }),
          fakePlugin('api', { dependsOn: ['events-table'], status: 'aborted', endMs: 45 }),
        ],
        { status: 'failed' },
      );
      const r = recommend(analyze(report));
      expect(codes(r)).toEqual(['CRITICAL:start-failed:postgres']);
      expect(r[0]!.message).toBe(
        '"postgres" was aborted after 3 attempts [ECONNREFUSED]; "events-table" and "api" (waiting on it) never started',
      );
      expect(r.map((x) => x.message).join()).not.toContain('0 attempts');
    });

    it('names a plugin cut short by the failure under the plugin that failed', () => {
      const report = fakeReport(
        [
          fakePlugin('postgres', { startMs: 0, attemptsMs: [10, 10, 10], status: 'failed' }),
          aborted('redis', [30], failure('postgres')),
        ],
        { status: 'failed' },
      );
      const r = recommend(analyze(report));
      expect(codes(r)).toEqual(['CRITICAL:start-failed:postgres']);
      expect(r[0]!.message).toContain('; "redis" was cut short by it');
    });

    it('still blames a plugin cut short whose own attempts were failing', () => {
      const redis = aborted('redis', [10, 30], failure('postgres'));
      redis.attempts[0]!.error = { name: 'Error', code: 'ECONNREFUSED', message: 'refused' };
      const report = fakeReport(
        [fakePlugin('postgres', { startMs: 0, attemptsMs: [10], status: 'failed' }), redis],
        { status: 'failed' },
      );
      expect(codes(recommend(analyze(report)))).toEqual([
        'CRITICAL:start-failed:postgres',
        'CRITICAL:start-failed:redis',
      ]);
    });

    it('counts failed attempts whose errors carry no code as failures of its own', () => {
      const signal = {
        name: 'StartupError',
        code: 'STARTUP_ERR_ABORTED',
        message: 'Start-up aborted: SIGTERM',
      };
      const api = aborted('api', [10, 10, 10], signal);
      api.attempts[0]!.error = { name: 'Error', message: 'HTTP 503 from upstream' };
      api.attempts[1]!.error = { name: 'Error', message: 'HTTP 503 from upstream' };
      const stopped = fakeReport([api], { status: 'aborted' });
      expect(codes(recommend(analyze(stopped)))).toEqual(['CRITICAL:start-failed:api']);
      const cut = aborted('api', [10, 30], failure('db'));
      cut.attempts[0]!.error = { name: 'Error', message: 'HTTP 503 from upstream' };
      const report = fakeReport([fakePlugin('db', { startMs: 0, attemptsMs: [10], status: 'failed' }), cut], {
        status: 'failed',
      });
      expect(codes(recommend(analyze(report)))).toEqual([
        'CRITICAL:start-failed:db',
        'CRITICAL:start-failed:api',
      ]);
    });

    it('blames a plugin still running at the deadline, and none when a signal aborted the start', () => {
      const slow = fakeReport([aborted('postgres', [1_500], failure())], { status: 'failed' });
      expect(codes(recommend(analyze(slow)))).toEqual(['CRITICAL:start-failed:postgres']);
      const signal = {
        name: 'StartupError',
        code: 'STARTUP_ERR_ABORTED',
        message: 'Start-up aborted: SIGTERM',
      };
      const stopped = fakeReport([aborted('postgres', [100], signal)], { status: 'aborted' });
      expect(codes(recommend(analyze(stopped)))).toEqual([]);
    });
  });

  it('shows control characters of names and server messages as pictures', () => {
    const report = fakeReport([
      fakePlugin('db\u001b[31m', { startMs: 0, attemptsMs: [10], status: 'failed', errorCodes: ['E\u0007'] }),
    ]);
    const [r] = recommend(analyze(report));
    expect(r!.plugin).toBe('db\u001b[31m');
    expect(r!.message).toBe('"db\u241b[31m" failed after 1 attempt [E\u2407]');
    expect(r!.action).toContain('"db\u241b[31m"');
  });

  it('scales its thresholds with the grade preset', () => {
    const report = fakeReport([fakePlugin('redis', { startMs: 0, attemptsMs: [1_200] })]);
    expect(codes(recommend(analyze(report, { grades: loopbackGrades })))).toEqual([
      'CRITICAL:start-critical:redis',
    ]);
    expect(codes(recommend(analyze(report)))).toEqual(['EXCELLENT:start-excellent:']);
  });

  it('rejects bad options naming the field', () => {
    const a = analyze(fakeReport([]));
    expect(() => recommend(a, { efficiencyRatio: 2 })).toThrow(/efficiencyRatio/);
    expect(() => recommend(a, { minMs: -1 })).toThrow(/minMs/);
    expect(() => recommend({} as never)).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });
});
