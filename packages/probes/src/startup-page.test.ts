import type { StartupReport } from '@startup/core';
import { analyze, type HistoryEntry, trend } from '@startup/monitor';
import { describe, expect, it } from 'vitest';
import { startupPage } from './startup-page.js';

const report = (wallMs: number): StartupReport => ({
  version: 1,
  status: 'ready',
  startedAt: '2025-01-01T00:00:00.000Z',
  wallMs,
  sumMs: wallMs,
  criticalPath: ['postgres'],
  criticalPathEndMs: wallMs,
  criticalPathMs: wallMs,
  plugins: [
    {
      name: 'postgres',
      dependsOn: [],
      optional: false,
      status: 'ready',
      queuedMs: 0,
      depsReadyMs: 0,
      readyMs: wallMs,
      endMs: wallMs,
      durationMs: wallMs,
      attempts: [{ attempt: 1, startMs: 0, endMs: wallMs }],
      steps: [],
    },
  ],
});

const start = (instance: string, wallMs: number): HistoryEntry => ({
  recordedAt: '2025-01-01T00:00:00.000Z',
  service: 'orders',
  instance,
  report: report(wallMs),
});

describe('startupPage', () => {
  it('names the instance that regressed, the fleet baseline it is measured against and the plugins over theirs', () => {
    const t = trend([start('orders-1', 100), start('orders-2', 120), start('orders-3', 400)], {
      instance: 'orders-3',
    });
    const page = startupPage({
      report: report(400),
      analysis: analyze(report(400)),
      recommendations: [],
      trend: t,
    });
    expect(page).toContain(
      'Fleet baseline (median of 2 completed starts before it across 2 instances: orders-1, orders-2): 110 ms; instance orders-3 +264 % — a regression (over 20 %). Plugins over their own baseline: postgres.',
    );
  });
});
