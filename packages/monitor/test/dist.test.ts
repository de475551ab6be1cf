import { describe, expect, it } from 'vitest';
// The built output on purpose: run `npx tsup` in packages/monitor first.
import {
  analyze,
  grade,
  healthPayload,
  loopbackGrades,
  prometheusMetrics,
  recommend,
  trend,
} from '../dist/index.js';
import { fakeCheck, fakeHealth } from './health-fixture.js';
import { fakePlugin, fakeReport } from './report-fixture.js';

describe('@startup/monitor dist', () => {
  it('grades, analyses and recommends from the built output', () => {
    expect(grade(14_999)).toEqual({ grade: 'A', label: 'EXCELLENT' });
    const report = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [80] }),
      fakePlugin('api', { dependsOn: ['postgres'], startMs: 80, attemptsMs: [20] }),
    ]);
    const analysis = analyze(report, { grades: loopbackGrades });
    expect(analysis.criticalPath).toEqual(['postgres', 'api']);
    expect(recommend(analysis).map((r) => r.severity)).toContain('EXCELLENT');
    expect(trend([{ recordedAt: 'x', report }]).latest?.wallMs).toBe(100);
    expect(healthPayload(fakeHealth({ postgres: fakeCheck('pass', 1) }), report).status).toBe('pass');
    expect(prometheusMetrics({ report })).toContain('# TYPE startup_duration_seconds gauge');
  });
});
