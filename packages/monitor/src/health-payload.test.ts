import { describe, expect, it } from 'vitest';
import { fakeCheck, fakeHealth } from '../test/health-fixture.js';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { analyze } from './analyze.js';
import { loopbackGrades } from './grade.js';
import { healthContentType, healthPayload } from './health-payload.js';
import { responseTimes } from './response-times.js';

const statuses = new Set(['pass', 'warn', 'fail']);

describe('healthPayload', () => {
  const report = fakeReport([
    fakePlugin('postgres', { startMs: 0, attemptsMs: [40, 60], delaysMs: [20] }),
    fakePlugin('redis', { startMs: 0, attemptsMs: [30] }),
  ]);

  it('builds an application/health+json body with checks keyed component:measurement', () => {
    const health = fakeHealth({
      postgres: fakeCheck('pass', 2.5, { details: { totalCount: 3, idleCount: 2 } }),
      redis: fakeCheck('pass', 0.8),
    });
    const body = healthPayload(health, report, undefined, {
      serviceId: 'api',
      version: '1',
      componentTypes: { postgres: 'datastore', redis: 'datastore' },
    });
    expect(healthContentType).toBe('application/health+json');
    expect(Object.keys(body)).toEqual(['status', 'version', 'serviceId', 'checks', 'startup']);
    expect(body.status).toBe('pass');
    expect(body.output).toBeUndefined();
    expect(body.checks['postgres:responseTime']).toEqual([
      {
        componentId: 'postgres',
        componentType: 'datastore',
        observedValue: 2.5,
        observedUnit: 'ms',
        status: 'pass',
        time: '2025-01-01T00:01:00.000Z',
      },
    ]);
    expect(body.checks['postgres:totalCount']![0]).toMatchObject({ observedValue: 3, status: 'pass' });
    expect(body.checks['startup:duration']![0]).toMatchObject({
      observedValue: 120,
      observedUnit: 'ms',
      status: 'pass',
    });
    for (const [key, entries] of Object.entries(body.checks)) {
      expect(key).toMatch(/^[^:]+:[^:]+$/);
      for (const e of entries) expect(statuses.has(e.status)).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it('summarises per-service status, timing and breaker state, grade, efficiency and recommendations', () => {
    const health = fakeHealth({ postgres: fakeCheck('pass', 2), redis: fakeCheck('pass', 1) });
    const body = healthPayload(health, report, analyze(report, { grades: loopbackGrades }));
    expect(body.startup).toMatchObject({
      status: 'ready',
      wallMs: 120,
      grade: 'A',
      label: 'EXCELLENT',
      criticalPath: ['postgres'],
      services: {
        postgres: {
          status: 'pass',
          breaker: 'CLOSED',
          responseTimeMs: 2,
          startStatus: 'ready',
          durationMs: 120,
          attempts: 2,
        },
        redis: { status: 'pass', durationMs: 30, attempts: 1 },
      },
    });
    expect(body.startup.efficiency).toBeCloseTo(150 / 120);
    expect(body.startup.recommendations.map((r) => r.code)).toEqual(['retries', 'start-excellent']);
  });

  it('fails with an output naming the failing check and its breaker', () => {
    const health = fakeHealth({
      postgres: fakeCheck('fail', 5_000, { breaker: 'OPEN', error: 'connect ECONNREFUSED 127.0.0.1:5432' }),
      redis: fakeCheck('pass', 1),
    });
    const body = healthPayload(health);
    expect(body.status).toBe('fail');
    expect(body.output).toBe('postgres: connect ECONNREFUSED 127.0.0.1:5432');
    expect(body.checks['postgres:responseTime']![0]).toMatchObject({
      status: 'fail',
      output: expect.stringContaining('ECONNREFUSED'),
    });
    expect(body.startup.services.postgres!.breaker).toBe('OPEN');
    expect(body.checks['startup:duration']).toBeUndefined();
    expect(body.startup.recommendations).toEqual([]);
  });

  it('warns for an unhealthy optional plugin and for a degraded start', () => {
    const degraded = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [10] }),
      fakePlugin('metrics', { startMs: 0, attemptsMs: [10], status: 'failed', optional: true }),
    ]);
    degraded.status = 'degraded';
    const health = fakeHealth({
      postgres: fakeCheck('pass', 1),
      metrics: fakeCheck('warn', 0, { optional: true }),
    });
    const body = healthPayload(health, degraded);
    expect(body.status).toBe('warn');
    expect(body.output).toBe('metrics: warn');
    expect(body.checks['startup:duration']![0]!.status).toBe('warn');
  });

  it('grades a failed start F (FAILED) in the startup member', () => {
    const failed = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [10], status: 'failed' })]);
    const body = healthPayload(fakeHealth({ postgres: fakeCheck('fail', 1) }), failed);
    expect(body.startup).toMatchObject({ status: 'failed', grade: 'F', label: 'FAILED' });
  });

  it('adds the rolling response time of the health runs, warning when the average passes 200 ms', () => {
    const window = responseTimes();
    for (const ms of [100, 150, 500]) window.record(ms);
    const body = healthPayload(fakeHealth({ redis: fakeCheck('pass', 1) }), undefined, undefined, {
      responseTimes: window.summary(),
    });
    expect(body.checks['health:responseTime']![0]).toMatchObject({
      observedValue: 250,
      observedUnit: 'ms',
      status: 'warn',
    });
    expect(body.startup.healthChecks).toEqual({ count: 3, avgMs: 250, p95Ms: 500, maxMs: 500, lastMs: 500 });
    expect(body.status).toBe('pass');
  });
});
