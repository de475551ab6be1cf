import { hostname } from 'node:os';
import { createStartup, definePlugin } from '@startup/core';
import { createTestClock } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { FakeApp } from '../test/fake-app.js';
import { fakeCheck, fakeHealth } from '../test/health-fixture.js';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { Alert } from './alerts.js';
import { loopbackGrades } from './grade.js';
import { type HistoryEntry, type HistoryStore, sameStart } from './history-store.js';
import { createMonitor } from './monitor.js';

class MemoryHistory implements HistoryStore {
  entries: HistoryEntry[] = [];
  async append(entry: HistoryEntry) {
    this.entries.push(entry);
  }
  async list(limit = Number.POSITIVE_INFINITY) {
    return limit === 0 ? [] : this.entries.slice(-limit);
  }
  async amend(entry: HistoryEntry) {
    this.entries = this.entries.map((kept) => (sameStart(kept, entry) ? entry : kept));
  }
}

const startOf = (ms: number, status: 'ready' | 'failed' = 'ready') =>
  fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [ms], status })]);

const setup = (options: Parameters<typeof createMonitor>[1] = {}) => {
  const app = new FakeApp();
  const clock = createTestClock({ wallStartMs: Date.UTC(2025, 0, 1) });
  const history = new MemoryHistory();
  const onError = vi.fn();
  const monitor = createMonitor(app, {
    history,
    clock,
    blocking: false,
    tracing: false,
    onError,
    ...options,
  });
  const alerts: Alert[] = [];
  monitor.onAlert((a) => alerts.push(a));
  return { app, clock, history, monitor, alerts, onError };
};

/** A health run whose postgres pool has `inUse` of its connections checked out, of max 20. */
const poolHealth = (inUse: number) =>
  fakeHealth({
    postgres: fakeCheck('pass', 2, {
      details: { totalCount: 10, idleCount: 10 - inUse, waitingCount: 0, max: 20 },
    }),
  });

describe('createMonitor: pool use over many starts', () => {
  it("records a run's pool use with its start as it grows, and advises from the last 50 starts", async () => {
    const { app, history, monitor } = setup({ service: 'orders', instance: 'orders-1' });
    for (let i = 0; i < 49; i++) {
      history.entries.push({
        recordedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        service: 'orders',
        report: startOf(10_000),
        pools: [{ plugin: 'postgres', peakInUse: i % 4, peakWaiting: 0, max: 20, checks: 10 }],
      });
    }
    // Before the start is recorded, a health run is not this run's use.
    app.emit('health', { result: poolHealth(9) });
    app.emit('startup:ready', { report: startOf(10_000) });
    await monitor.idle();
    expect(history.entries.at(-1)?.pools).toBeUndefined();
    for (const inUse of [2, 4, 3]) app.emit('health', { result: poolHealth(inUse) });
    // Written as the peak grew (no shutdown yet): a pod killed now has left its use behind.
    await monitor.idle();
    expect(history.entries).toHaveLength(50);
    expect(history.entries.at(-1)).toMatchObject({
      service: 'orders',
      instance: 'orders-1',
      pools: [{ plugin: 'postgres', peakInUse: 4, peakWaiting: 0, max: 20, checks: 3 }],
    });

    // The next run reads the 50 recorded runs as soon as its start is recorded.
    const next = setup({ service: 'orders', instance: 'orders-2' });
    next.history.entries = history.entries;
    next.app.emit('startup:ready', { report: startOf(10_000) });
    await next.monitor.idle();
    expect(next.monitor.recommendations()).toContainEqual(
      expect.objectContaining({
        code: 'pool-oversized',
        message: 'postgres: pool max 20, never more than 4 in use over the last 50 starts',
      }),
    );
  });

  it('writes when a peak grows or the health runs reach a power of two, and at the shutdown only a grown peak', async () => {
    const { app, history, monitor } = setup();
    const amend = vi.spyOn(history, 'amend');
    app.emit('startup:ready', { report: startOf(10_000) });
    await monitor.idle();
    const written = () => amend.mock.calls.map(([e]) => [e.pools?.[0]?.peakInUse, e.pools?.[0]?.checks]);
    for (let i = 0; i < 9; i++) {
      app.emit('health', { result: poolHealth(i === 5 ? 3 : 1) });
      await monitor.idle();
    }
    // checks 1 (first), 2, 4 (powers of two), 6 (peak 3), 8 (power of two); 3, 5, 7 and 9 add nothing.
    expect(written()).toEqual([
      [1, 1],
      [1, 2],
      [1, 4],
      [3, 6],
      [3, 8],
    ]);
    app.emit('shutdown:start', { reason: 'SIGTERM' });
    await monitor.idle();
    expect(amend).toHaveBeenCalledTimes(5);
    app.emit('health', { result: poolHealth(7) });
    app.emit('shutdown:start', { reason: 'SIGTERM' });
    await monitor.idle();
    expect(written().at(-1)).toEqual([7, 10]);
    expect(amend).toHaveBeenCalledTimes(6);
  });

  it('amends nothing when the run saw no pool figures, or the store cannot amend', async () => {
    const { app, history, monitor } = setup();
    const amend = vi.spyOn(history, 'amend');
    app.emit('startup:ready', { report: startOf(10_000) });
    await monitor.idle();
    app.emit('shutdown:start', { reason: 'SIGTERM' });
    await monitor.idle();
    expect(amend).not.toHaveBeenCalled();

    const plain: HistoryStore = { append: async () => {}, list: async () => [] };
    const other = setup({ history: plain });
    other.app.emit('startup:ready', { report: startOf(10_000) });
    other.app.emit('health', { result: poolHealth(2) });
    other.app.emit('shutdown:start', { reason: 'SIGTERM' });
    await other.monitor.idle();
    expect(other.onError).not.toHaveBeenCalled();
  });
});

describe('createMonitor', () => {
  it('analyses a finished start, appends it to the history and computes the trend', async () => {
    const { app, history, monitor, alerts } = setup({ service: 'orders', instance: 'orders-1' });
    history.entries.push({ recordedAt: 'x', service: 'orders', report: startOf(10_000) });
    app.emit('startup:ready', { report: startOf(11_000) });
    expect(monitor.analysis()).toMatchObject({ wallMs: 11_000, grade: { grade: 'A' } });
    await monitor.idle();
    expect(history.entries).toHaveLength(2);
    expect(history.entries[1]).toEqual({
      recordedAt: '2025-01-01T00:00:00.000Z',
      service: 'orders',
      instance: 'orders-1',
      report: startOf(11_000),
    });
    expect(monitor.trend()).toMatchObject({ baselineMs: 10_000, changePercent: 10, regression: false });
    expect(alerts).toEqual([]);
    expect(monitor.recommendations().map((r) => r.code)).toEqual(['start-excellent']);
  });

  it('records its instance, the host name unless told, and compares its start with the fleet baseline', async () => {
    const saved = process.env.HOSTNAME;
    try {
      process.env.HOSTNAME = 'pod-7';
      const { app, history, monitor } = setup();
      app.emit('startup:ready', { report: startOf(1_000) });
      await monitor.idle();
      expect(history.entries[0]!.instance).toBe('pod-7');
      delete process.env.HOSTNAME;
      const other = setup();
      other.app.emit('startup:ready', { report: startOf(1_000) });
      await other.monitor.idle();
      expect(other.history.entries[0]!.instance).toBe(hostname());
    } finally {
      if (saved === undefined) delete process.env.HOSTNAME;
      else process.env.HOSTNAME = saved;
    }
    expect(() => setup({ instance: ' ' })).toThrow(/"instance"/);
  });

  it('flags the slow instance against the fleet baseline, even when another instance recorded after it', async () => {
    const { app, history, monitor, alerts } = setup({ service: 'orders', instance: 'orders-5' });
    for (const [i, ms] of [1_000, 1_100, 900, 1_050].entries()) {
      history.entries.push({
        recordedAt: 'x',
        service: 'orders',
        instance: `orders-${i + 1}`,
        report: startOf(ms),
      });
    }
    // A fast start of another replica lands between this start's append and its read of the history.
    const append = history.append.bind(history);
    history.append = async (entry) => {
      await append(entry);
      await append({ recordedAt: 'y', service: 'orders', instance: 'orders-1', report: startOf(10) });
    };
    app.emit('startup:ready', { report: startOf(2_000) });
    await monitor.idle();
    expect(monitor.trend()).toMatchObject({
      latest: { instance: 'orders-5', wallMs: 2_000 },
      baselineMs: 1_025,
      baselineInstances: ['orders-1', 'orders-2', 'orders-3', 'orders-4'],
      regression: true,
    });
    expect(alerts.map((a) => [a.kind, a.instance, a.service])).toEqual([
      ['regression', 'orders-5', 'orders'],
    ]);
    expect(alerts[0]!.message).toBe(
      'Start of instance orders-5 took 2.0 s, 95 % over the fleet baseline of 1.0 s (median of 4 completed starts across 4 instances: orders-1, orders-2, orders-3, orders-4); slower plugins: postgres 2.0 s vs 1.0 s',
    );
    expect(monitor.healthPayload().startup).toMatchObject({
      instance: 'orders-5',
      baseline: {
        instance: 'orders-5',
        wallMs: 2_000,
        baselineMs: 1_025,
        baselineSize: 4,
        regression: true,
        regressedPlugins: ['postgres'],
      },
    });
  });

  it('records the variant label with each start, for compare', async () => {
    const { app, history, monitor } = setup({ variant: 'pool-warm-4' });
    app.emit('startup:ready', { report: startOf(1_000) });
    await monitor.idle();
    expect(history.entries[0]!.variant).toBe('pool-warm-4');
    expect(() => setup({ variant: '' })).toThrow(/"variant"/);
  });

  it('raises slow-start and regression alerts with thresholds that follow the grades', async () => {
    const { app, history, monitor, alerts } = setup({ grades: loopbackGrades });
    for (let i = 0; i < 3; i++) history.entries.push({ recordedAt: 'x', report: startOf(400) });
    app.emit('startup:ready', { report: startOf(600) });
    await monitor.idle();
    expect(alerts.map((a) => `${a.kind}:${a.severity}`)).toEqual(['slow-start:alert', 'regression:alert']);
    app.emit('startup:ready', { report: startOf(1_500) });
    await monitor.idle();
    expect(alerts.map((a) => a.kind === 'slow-start' && a.thresholdMs)).toContain(1_000);
  });

  it('raises a critical alert for a failed start', async () => {
    const { app, monitor, alerts } = setup();
    const report = startOf(50, 'failed');
    app.emit('startup:failed', { report, error: { name: 'StartupFailedError', message: 'failed' } });
    await monitor.idle();
    expect(alerts).toMatchObject([{ kind: 'start-failed', plugins: ['postgres'] }, { kind: 'slo-breach' }]);
  });

  it('alerts a start cut short by a shutdown as it ends, before its history is written', async () => {
    const { app, history, monitor, alerts } = setup();
    let written: (() => void) | undefined;
    history.append = (entry) =>
      new Promise<void>((resolve) => {
        written = () => {
          history.entries.push(entry);
          resolve();
        };
      });
    const report = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [30], status: 'aborted' })], {
      status: 'aborted',
      wallMs: 30,
    });
    app.emit('startup:failed', { report, error: { name: 'StartupFailedError', message: 'aborted' } });
    // Logged while the shutdown is still closing: the history write has not even finished.
    expect(alerts.map((a) => a.kind)).toEqual(['start-failed']);
    await vi.waitFor(() => expect(written).toBeDefined());
    expect(history.entries).toEqual([]);
    written?.();
    await monitor.idle();
    expect(history.entries).toHaveLength(1);
    expect(alerts).toHaveLength(1);
  });

  it('raises no objective breach again for an aborted start, which counts in neither objective', async () => {
    const { app, history, monitor, alerts } = setup();
    history.entries.push({ recordedAt: 'x', report: startOf(50, 'failed') });
    const report = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [30], status: 'aborted' })], {
      status: 'aborted',
      wallMs: 30,
    });
    app.emit('startup:failed', { report, error: { name: 'StartupFailedError', message: 'aborted' } });
    await monitor.idle();
    expect(monitor.slo()?.met).toBe(false);
    expect(alerts.map((a) => a.kind)).toEqual(['start-failed']);
  });

  it('alerts a start that ended before the monitor was created once its creator subscribed', async () => {
    const app = new FakeApp();
    app.current = startOf(50, 'failed');
    const monitor = createMonitor(app, { blocking: false, tracing: false });
    const alerts: Alert[] = [];
    monitor.onAlert((a) => alerts.push(a));
    await monitor.idle();
    expect(alerts.map((a) => a.kind)).toEqual(['start-failed']);
    monitor.dispose();
  });

  it('measures the start-up objectives over the history, and alerts, shows and exports a breach', async () => {
    const { app, history, monitor, alerts } = setup({
      service: 'orders',
      slo: { objectiveMs: 900, window: 4 },
    });
    for (const ms of [500, 600, 700])
      history.entries.push({ recordedAt: 'x', service: 'orders', report: startOf(ms) });
    history.entries.push({ recordedAt: 'x', service: 'other', report: startOf(5_000) });
    app.emit('startup:ready', { report: startOf(1_000) });
    await monitor.idle();
    expect(monitor.slo()).toMatchObject({
      service: 'orders',
      window: { starts: 4, size: 4 },
      startTime: { actual: 1_000, target: 900, by: 100, met: false },
      failureRate: { actual: 0, met: true },
    });
    expect(alerts.map((a) => a.kind)).toEqual(['regression', 'slo-breach']);
    expect(alerts[1]!.message).toBe(
      'Start-up objective breached: start time p95 ≤ 900 ms: 1.0 s — BREACHED, over by 100 ms, over the last 4 starts of orders (window 4, x → 2025-01-01T00:00:00.000Z)',
    );
    expect(monitor.healthPayload().startup.slo?.met).toBe(false);
    expect(monitor.metrics()).toContain('startup_slo_met{service="orders",objective="start-time"} 0');
  });

  it('estimates a running start from the history, alerts once when it is on course to be slow, and records the prediction', async () => {
    const history = new MemoryHistory();
    for (const ms of [100, 120, 110]) history.entries.push({ recordedAt: 'x', report: startOf(ms) });
    const app = new FakeApp();
    const alerts: Alert[] = [];
    const monitor = createMonitor(app, {
      history,
      blocking: false,
      tracing: false,
      alerts: { alertMs: 150 },
    });
    monitor.onAlert((a) => alerts.push(a));
    await monitor.idle();
    app.current = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [50], status: 'starting' })], {
      status: 'starting',
      wallMs: 50,
    });
    expect(monitor.estimate()).toMatchObject({
      expectedWallMs: 110,
      remainingMs: 60,
      onCourseToExceed: false,
    });
    expect(monitor.healthPayload().startup.estimate?.expectedWallMs).toBe(110);
    app.current = { ...app.current, wallMs: 160 };
    app.emit('plugin:retry', {
      plugin: 'postgres',
      attempt: 1,
      delayMs: 10,
      error: { name: 'E', message: 'x' },
    });
    app.emit('plugin:retry', {
      plugin: 'postgres',
      attempt: 2,
      delayMs: 10,
      error: { name: 'E', message: 'x' },
    });
    expect(alerts.map((a) => a.kind)).toEqual(['start-at-risk']);
    expect(alerts[0]!.message).toBe(
      'Start on course to exceed 150 ms: expected to end at 160 ms, 160 ms in (critical path postgres)',
    );
    app.current = startOf(170);
    app.emit('startup:ready', { report: app.current });
    await monitor.idle();
    expect(history.entries.at(-1)!.prediction).toEqual({
      wallMs: 110,
      plugins: { postgres: 110 },
      basedOn: 3,
    });
    expect(monitor.estimate()).toBeUndefined();
  });

  it('advises on pool sizes from the figures the health checks report, in recommendations and the health payload', async () => {
    const { app, monitor } = setup({ poolAdvice: { minSamples: 3 } });
    app.emit('startup:ready', { report: startOf(100) });
    await monitor.idle();
    for (const inUse of [1, 4, 2]) {
      const details = { totalCount: inUse + 1, idleCount: 1, waitingCount: 0, max: 20 };
      app.emit('health', { result: fakeHealth({ postgres: fakeCheck('pass', 2, { details }) }) });
    }
    const advice = monitor.recommendations().find((r) => r.code === 'pool-oversized');
    expect(advice?.message).toBe(
      'postgres: pool max 20, never more than 4 in use over the last 3 health checks',
    );
    expect(monitor.healthPayload().startup.recommendations.map((r) => r.code)).toContain('pool-oversized');
  });

  it('measures no objective when told not to', async () => {
    const { app, monitor, alerts } = setup({ slo: false });
    app.emit('startup:failed', { report: startOf(50, 'failed'), error: { name: 'E', message: 'failed' } });
    await monitor.idle();
    expect([monitor.slo(), alerts.map((a) => a.kind)]).toEqual([undefined, ['start-failed']]);
  });

  it('still alerts when the history fails, and reports the failure', async () => {
    const { app, history, monitor, alerts, onError } = setup({ alerts: { alertMs: 10 } });
    history.append = () => Promise.reject(new Error('disk full'));
    app.emit('startup:ready', { report: startOf(20) });
    await monitor.idle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk full' }));
    expect(alerts.map((a) => a.kind)).toEqual(['slow-start']);
    expect(monitor.trend()).toBeUndefined();
  });

  it('follows breaker and health events into alerts, metrics and the health payload', async () => {
    const { app, monitor, alerts } = setup({ service: 'orders' });
    app.emit('startup:ready', { report: startOf(100) });
    app.emit('breaker:state', { plugin: 'postgres', from: 'CLOSED', to: 'OPEN' });
    expect(monitor.metrics()).toContain('startup_breaker_state{service="orders",plugin="postgres"} 2');
    const failing = fakeHealth({ postgres: fakeCheck('fail', 4, { breaker: 'OPEN', error: 'refused' }) }, 8);
    app.emit('health', { result: failing });
    app.emit('health', { result: fakeHealth({ postgres: fakeCheck('pass', 2) }, 4) });
    expect(alerts.map((a) => a.kind)).toEqual(['breaker-open', 'health-failing']);
    const body = monitor.healthPayload();
    expect(body).toMatchObject({
      status: 'pass',
      serviceId: 'orders',
      startup: { healthChecks: { count: 2, avgMs: 6 } },
    });
    expect(body.startup.services.postgres).toMatchObject({ breaker: 'CLOSED', durationMs: 100 });
    expect(monitor.metrics()).toContain('startup_breaker_state{service="orders",plugin="postgres"} 0');
    expect(monitor.healthPayload(failing).status).toBe('fail');
  });

  it('gives a payload from the report alone before any health run', () => {
    const { app, monitor } = setup();
    app.emit('startup:ready', { report: startOf(100) });
    expect(monitor.healthPayload()).toMatchObject({
      status: 'pass',
      checks: { 'startup:duration': [{ observedValue: 100 }] },
    });
  });

  it('analyses the start so far while it runs, and a start that finished before it was created', async () => {
    const app = new FakeApp();
    app.current = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [5], status: 'starting' })], {
      status: 'starting',
      wallMs: 40,
    });
    const running = createMonitor(app, { blocking: false, tracing: false });
    expect(running.analysis()).toMatchObject({ status: 'starting', wallMs: 40 });
    running.dispose();
    app.current = startOf(70);
    const history = new MemoryHistory();
    const late = createMonitor(app, { history, tracing: false });
    await late.idle();
    expect(late.analysis().wallMs).toBe(70);
    expect(history.entries).toHaveLength(1);
    late.dispose();
  });

  it('unsubscribes everything on dispose', () => {
    const app = new FakeApp();
    const clock = createTestClock({ wallStartMs: Date.UTC(2025, 0, 1) });
    const monitor = createMonitor(app, { clock, tracing: false });
    expect(app.listenerCount()).toBeGreaterThan(0);
    monitor.dispose();
    monitor.dispose();
    expect(app.listenerCount()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects bad options naming the field', () => {
    expect(() => createMonitor(new FakeApp(), { baselineWindow: 0 })).toThrow(/baselineWindow/);
    expect(() => createMonitor(new FakeApp(), { grades: { A: 3, B: 2, C: 4, D: 5 } })).toThrow(/grades\.B/);
  });

  it('watches a real core application and attributes a synchronous init to its plugin', async () => {
    const config = definePlugin({
      name: 'config',
      init: () => {
        const until = performance.now() + 80;
        while (performance.now() < until) {
          // A synchronous init, as with readFileSync and JSON.parse of a big file.
        }
        return { ready: true };
      },
    });
    const api = definePlugin<{ config: { ready: boolean } }>()({
      name: 'api',
      dependsOn: ['config'],
      init: async (ctx) => ctx.step('routes', () => ctx.deps.config.ready),
    });
    const app = createStartup([config, api]);
    const history = new MemoryHistory();
    const monitor = createMonitor(app, { history, grades: loopbackGrades, tracing: false });
    await app.start();
    await monitor.idle();
    const analysis = monitor.analysis();
    expect(analysis.criticalPath).toEqual(['config', 'api']);
    const blocked = Object.fromEntries(analysis.plugins.map((p) => [p.name, p.blockedMs ?? 0]));
    expect(blocked.config).toBeGreaterThanOrEqual(60);
    expect(blocked.api).toBeLessThan(blocked.config! / 10);
    expect(monitor.recommendations().map((r) => `${r.code}:${r.plugin ?? ''}`)).toContain(
      'blocking-init:config',
    );
    expect(history.entries).toHaveLength(1);
    await app.stop();
    monitor.dispose();
  });
});
