import { createTestClock } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { fakeCheck, fakeHealth } from '../test/health-fixture.js';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { type Alert, createAlerts } from './alerts.js';
import { analyze } from './analyze.js';
import type { HistoryEntry } from './history-store.js';
import { trend } from './trend.js';

const startOf = (ms: number) =>
  analyze(fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [ms] })]));

/** A start of `instance` whose postgres took `pg` ms and redis `redis` ms, side by side. */
const fleetStart = (instance: string, pg: number, redis: number): HistoryEntry => ({
  recordedAt: '2025-01-01T00:00:00.000Z',
  service: 'orders',
  instance,
  report: fakeReport([
    fakePlugin('postgres', { startMs: 0, attemptsMs: [pg] }),
    fakePlugin('redis', { startMs: 0, attemptsMs: [redis] }),
  ]),
});

const collect = (options: Parameters<typeof createAlerts>[0] = {}) => {
  const alerts = createAlerts({ clock: createTestClock({ wallStartMs: Date.UTC(2025, 0, 1) }), ...options });
  const seen: Alert[] = [];
  alerts.onAlert((a) => seen.push(a));
  return { alerts, seen };
};

describe('createAlerts', () => {
  it.each([
    [30_000, []],
    [30_001, ['alert:30000']],
    [60_000, ['alert:30000']],
    [60_001, ['critical:60000']],
  ])('raises slow-start alerts for a %d ms start: %j', (ms, expected) => {
    const { alerts, seen } = collect();
    alerts.checkStart(startOf(ms));
    expect(seen.map((a) => (a.kind === 'slow-start' ? `${a.severity}:${a.thresholdMs}` : a.kind))).toEqual(
      expected,
    );
  });

  it('stamps alerts with the time and service', () => {
    const { alerts, seen } = collect({ service: 'api', alertMs: 100 });
    alerts.checkStart(startOf(150));
    expect(seen[0]).toEqual({
      kind: 'slow-start',
      severity: 'alert',
      message: 'Start took 150 ms, over 100 ms',
      time: '2025-01-01T00:00:00.000Z',
      service: 'api',
      wallMs: 150,
      thresholdMs: 100,
    });
  });

  it('raises a regression alert from the trend', () => {
    const { alerts, seen } = collect();
    const t = trend([fleetStart('a', 1_000, 10), fleetStart('b', 1_250, 10)], { instance: 'b' });
    alerts.checkStart(startOf(1_250), t);
    expect(seen).toMatchObject([
      { kind: 'regression', severity: 'alert', wallMs: 1_250, baselineMs: 1_000, changePercent: 25 },
    ]);
    alerts.checkStart(startOf(1_100), { ...t, regression: false });
    expect(seen).toHaveLength(1);
  });

  it('names the instance that regressed, the fleet baseline and the plugins that regressed', () => {
    const { alerts, seen } = collect({ service: 'orders', instance: 'orders-4' });
    const entries = [
      fleetStart('orders-1', 100, 10),
      fleetStart('orders-2', 120, 12),
      fleetStart('orders-3', 110, 11),
      fleetStart('orders-4', 400, 11),
    ];
    alerts.checkStart(startOf(400), trend(entries, { instance: 'orders-4' }));
    expect(seen).toEqual([
      {
        kind: 'regression',
        severity: 'alert',
        message:
          'Start of instance orders-4 took 400 ms, 264 % over the fleet baseline of 110 ms (median of 3 completed starts across 3 instances: orders-1, orders-2, orders-3); slower plugins: postgres 400 ms vs 110 ms',
        time: '2025-01-01T00:00:00.000Z',
        service: 'orders',
        instance: 'orders-4',
        wallMs: 400,
        baselineMs: 110,
        changePercent: expect.closeTo(263.6, 1),
        baselineSize: 3,
        baselineInstances: ['orders-1', 'orders-2', 'orders-3'],
        plugins: [
          { plugin: 'postgres', latestMs: 400, medianMs: 110, changePercent: expect.closeTo(263.6, 1) },
        ],
      },
    ]);
  });

  it('raises a critical alert for a failed start naming the plugins and the error', () => {
    const { alerts, seen } = collect();
    const report = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [10], status: 'failed' })]);
    report.error = { name: 'StartupFailedError', code: 'STARTUP_ERR_FAILED', message: 'Startup failed' };
    alerts.checkStart(analyze(report));
    expect(seen).toMatchObject([
      {
        kind: 'start-failed',
        severity: 'critical',
        plugins: ['postgres'],
        error: { code: 'STARTUP_ERR_FAILED' },
      },
    ]);
  });

  it('names only the plugins at fault, not those the failure cut short', () => {
    const { alerts, seen } = collect();
    const report = fakeReport([
      fakePlugin('postgres', { startMs: 0, attemptsMs: [10], status: 'failed' }),
      fakePlugin('events-table', { startMs: 10, attemptsMs: [], status: 'aborted' }),
    ]);
    report.error = { name: 'StartupFailedError', code: 'STARTUP_ERR_FAILED', message: 'Startup failed' };
    alerts.checkStart(analyze(report));
    expect(seen).toMatchObject([{ kind: 'start-failed', plugins: ['postgres'] }]);
  });

  it('raises a critical alert when a breaker opens, and nothing for other transitions', () => {
    const { alerts, seen } = collect();
    const error = { name: 'Error', message: 'refused' };
    alerts.breakerChanged({ plugin: 'redis', from: 'CLOSED', to: 'OPEN', error });
    alerts.breakerChanged({ plugin: 'redis', from: 'OPEN', to: 'HALF_OPEN' });
    alerts.breakerChanged({ plugin: 'redis', from: 'HALF_OPEN', to: 'CLOSED' });
    expect(seen).toMatchObject([{ kind: 'breaker-open', severity: 'critical', plugin: 'redis', error }]);
    expect(seen[0]!.message).toBe('Circuit breaker of "redis" is OPEN: refused');
  });

  it('raises a health alert once when a check starts failing, and again after it recovered', () => {
    const { alerts, seen } = collect();
    const failing = fakeHealth({
      postgres: fakeCheck('fail', 5, { error: 'timeout' }),
      redis: fakeCheck('warn', 1, { optional: true }),
    });
    alerts.healthChecked(failing);
    alerts.healthChecked(failing);
    expect(seen.map((a) => a.kind === 'health-failing' && `${a.plugin}:${a.severity}`)).toEqual([
      'postgres:critical',
      'redis:alert',
    ]);
    alerts.healthChecked(
      fakeHealth({ postgres: fakeCheck('pass', 1), redis: fakeCheck('warn', 1, { optional: true }) }),
    );
    alerts.healthChecked(failing);
    expect(seen).toHaveLength(3);
  });

  it('stops delivering after the disposer runs and isolates a throwing listener', () => {
    const onListenerError = vi.fn();
    const alerts = createAlerts({ onListenerError, alertMs: 1 });
    const seen: Alert[] = [];
    alerts.onAlert(() => {
      throw new Error('boom');
    });
    const off = alerts.onAlert((a) => seen.push(a));
    alerts.checkStart(startOf(10));
    off();
    alerts.checkStart(startOf(10));
    expect(seen).toHaveLength(1);
    expect(onListenerError).toHaveBeenCalledTimes(2);
  });

  it('rejects bad thresholds naming the field', () => {
    expect(() => createAlerts({ alertMs: -1 })).toThrow(/alertMs/);
    expect(() => createAlerts({ criticalMs: Number.NaN })).toThrow(/criticalMs/);
  });
});
