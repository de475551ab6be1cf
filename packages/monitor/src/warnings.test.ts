import { createTestClock } from '@startup/test-kit/clock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApp } from '../test/fake-app.js';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { createAlerts } from './alerts.js';
import { analyze } from './analyze.js';
import { createMonitor } from './monitor.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('warnings without a handler of their own', () => {
  it('a throwing alert listener becomes a process warning coded STARTUP_WARN_ALERT_LISTENER', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const alerts = createAlerts({ alertMs: 1 });
    alerts.onAlert(() => {
      throw new Error('boom');
    });
    alerts.checkStart(analyze(fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [10] })])));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('boom'), {
      code: 'STARTUP_WARN_ALERT_LISTENER',
    });
  });

  it('a history the monitor cannot write becomes a process warning coded STARTUP_WARN_MONITOR', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const app = new FakeApp();
    const history = { append: () => Promise.reject(new Error('disk full')), list: async () => [] };
    const monitor = createMonitor(app, {
      history,
      clock: createTestClock(),
      blocking: false,
      tracing: false,
    });
    app.emit('startup:ready', {
      report: fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [5] })]),
    });
    await monitor.idle();
    expect(warn).toHaveBeenCalledWith('@startup/monitor: disk full', { code: 'STARTUP_WARN_MONITOR' });
  });
});
