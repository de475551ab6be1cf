import type { PluginReport, StartupReport } from '@startup/core';
import type { HistoryEntry } from '../src/history-store.js';

// Synthetic start-up reports for the picture and CLI tests: plain data, as core's runner records it.

function plugin(name: string, fields: Partial<PluginReport>): PluginReport {
  return {
    name,
    dependsOn: [],
    optional: false,
    status: 'ready',
    queuedMs: 0,
    attempts: [],
    steps: [],
    ...fields,
  };
}

const refused = { code: 'ECONNREFUSED', name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' };

/**
 * A ready start of 850 ms: postgres → migrations → api is the critical path; redis fails twice
 * (backoff 100 ms, then 200 ms) and is ready on its third attempt; api waits on three dependencies.
 */
export function readyStart(overrides: Partial<StartupReport> = {}): StartupReport {
  return {
    version: 1,
    status: 'ready',
    startedAt: '2025-03-01T10:00:00.000Z',
    wallMs: 850,
    sumMs: 1365,
    criticalPath: ['postgres', 'migrations', 'api'],
    criticalPathEndMs: 850,
    criticalPathMs: 850,
    plugins: [
      plugin('postgres', {
        depsReadyMs: 0,
        readyMs: 412,
        durationMs: 412,
        attempts: [{ attempt: 1, startMs: 0, endMs: 412 }],
        steps: [
          { name: 'connect', attempt: 1, startMs: 0, endMs: 40 },
          { name: 'warm pool', attempt: 1, startMs: 40, endMs: 412 },
        ],
      }),
      plugin('redis', {
        depsReadyMs: 0,
        readyMs: 395,
        durationMs: 395,
        attempts: [
          { attempt: 1, startMs: 0, endMs: 31, error: refused, delayMs: 100 },
          { attempt: 2, startMs: 131, endMs: 160, error: refused, delayMs: 200 },
          { attempt: 3, startMs: 360, endMs: 395 },
        ],
      }),
      plugin('nats', {
        depsReadyMs: 0,
        readyMs: 120,
        durationMs: 120,
        attempts: [{ attempt: 1, startMs: 0, endMs: 120 }],
      }),
      plugin('migrations', {
        dependsOn: ['postgres'],
        depsReadyMs: 412,
        readyMs: 780,
        durationMs: 368,
        attempts: [{ attempt: 1, startMs: 412, endMs: 780 }],
      }),
      plugin('api', {
        dependsOn: ['migrations', 'redis', 'nats'],
        depsReadyMs: 780,
        readyMs: 850,
        durationMs: 70,
        attempts: [{ attempt: 1, startMs: 780, endMs: 850 }],
      }),
    ],
    ...overrides,
  };
}

/**
 * A degraded start of 300 ms: the optional `search` fails after two attempts (the second times out),
 * `reports` is skipped because of it; `cache` is ready.
 */
export function degradedStart(): StartupReport {
  const timeout = {
    code: 'STARTUP_ERR_ATTEMPT_TIMEOUT',
    name: 'StartupError',
    message: 'Attempt 2 of plugin "search" timed out after 150 ms',
    plugin: 'search',
  };
  return {
    version: 1,
    status: 'degraded',
    startedAt: '2025-03-01T11:00:00.000Z',
    wallMs: 300,
    sumMs: 340,
    criticalPath: ['search'],
    criticalPathEndMs: 300,
    criticalPathMs: 300,
    plugins: [
      plugin('cache', {
        depsReadyMs: 0,
        readyMs: 40,
        durationMs: 40,
        attempts: [{ attempt: 1, startMs: 0, endMs: 40 }],
      }),
      plugin('search', {
        optional: true,
        status: 'failed',
        depsReadyMs: 0,
        endMs: 300,
        durationMs: 300,
        attempts: [
          {
            attempt: 1,
            startMs: 0,
            endMs: 100,
            error: { ...refused, message: 'connect ECONNREFUSED 127.0.0.1:9200' },
            delayMs: 50,
          },
          { attempt: 2, startMs: 150, endMs: 300, error: timeout },
        ],
        error: timeout,
      }),
      plugin('reports', {
        dependsOn: ['search'],
        status: 'skipped',
        endMs: 300,
        skippedBecause: 'search',
      }),
    ],
  };
}

/** A report taken while the start runs, 200 ms in: `db` is on its second attempt, `app` waits on it. */
export function runningStart(): StartupReport {
  return {
    version: 1,
    status: 'starting',
    startedAt: '2025-03-01T12:00:00.000Z',
    wallMs: 200,
    sumMs: 200,
    criticalPath: ['db'],
    criticalPathEndMs: 200,
    criticalPathMs: 200,
    plugins: [
      plugin('db', {
        status: 'starting',
        depsReadyMs: 0,
        attempts: [
          { attempt: 1, startMs: 0, endMs: 50, error: refused, delayMs: 80 },
          { attempt: 2, startMs: 130 },
        ],
      }),
      plugin('app', { dependsOn: ['db'], status: 'pending' }),
    ],
  };
}

/** `report` with every time multiplied by `factor` (a slower or faster run of the same start). */
export function scaleStart(report: StartupReport, factor: number): StartupReport {
  const scale = (value: unknown, key: string): unknown => {
    if (typeof value === 'number' && key.endsWith('Ms')) return Math.round(value * factor * 10) / 10;
    if (Array.isArray(value)) return value.map((v) => scale(v, ''));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scale(v, k)]));
    }
    return value;
  };
  return scale(report, '') as StartupReport;
}

/**
 * The ready start with the "warm pool" step of postgres `extraMs` slower: postgres, and migrations and api
 * after it on the critical path, end that much later; redis and nats are unchanged.
 */
export function slowPoolStart(extraMs: number, overrides: Partial<StartupReport> = {}): StartupReport {
  const report = readyStart(overrides);
  const end = 412; // postgres ready, before the slowdown
  const shift = (value: unknown, key: string): unknown => {
    if (
      typeof value === 'number' &&
      key.endsWith('Ms') &&
      !['durationMs', 'delayMs', 'sumMs'].includes(key)
    ) {
      return value >= end ? value + extraMs : value;
    }
    if (Array.isArray(value)) return value.map((v) => shift(v, ''));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shift(v, k)]));
    }
    return value;
  };
  const slow = shift(report, '') as StartupReport;
  slow.sumMs += extraMs;
  slow.plugins[0]!.durationMs! += extraMs;
  return slow;
}

/**
 * A history of `count` starts one minute apart (oldest first): the ready start at about 850 ms with a few
 * percent of spread, a failed one at index 5 (when there are more than 6), and the newest with a postgres
 * pool warm-up `slowdownMs` slower (350 ms by default: 1200 ms in all, a regression of about 40 %).
 */
export function sampleHistory(count = 12, slowdownMs = 350, service = 'orders-api') {
  const spread = [1, 0.96, 1.03, 0.98, 1.05, 0.97, 1.02, 0.99, 1.01, 0.95, 1.04, 1];
  return Array.from({ length: count }, (_, i) => {
    const recordedAt = new Date(Date.UTC(2025, 2, 1, 10, i)).toISOString();
    const report =
      i === count - 1
        ? slowPoolStart(slowdownMs, { startedAt: recordedAt })
        : i === 5 && count > 6
          ? failedStart()
          : scaleStart(readyStart({ startedAt: recordedAt }), spread[i % spread.length]!);
    return { recordedAt, service, report };
  });
}

/** A failed start: `postgres` gives up after three refused attempts, `api` is aborted. */
export function failedStart(): StartupReport {
  const refusedPg = { code: 'ECONNREFUSED', name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432' };
  const failure = {
    code: 'STARTUP_ERR_FAILED',
    name: 'StartupFailedError',
    message: 'Start-up failed: postgres',
  };
  return {
    version: 1,
    status: 'failed',
    startedAt: '2025-03-01T10:05:00.000Z',
    wallMs: 700,
    sumMs: 700,
    criticalPath: ['postgres'],
    criticalPathEndMs: 700,
    criticalPathMs: 700,
    error: failure,
    plugins: [
      plugin('postgres', {
        status: 'failed',
        depsReadyMs: 0,
        endMs: 700,
        durationMs: 700,
        attempts: [
          { attempt: 1, startMs: 0, endMs: 20, error: refusedPg, delayMs: 100 },
          { attempt: 2, startMs: 120, endMs: 140, error: refusedPg, delayMs: 200 },
          { attempt: 3, startMs: 340, endMs: 700, error: refusedPg },
        ],
        error: refusedPg,
      }),
      plugin('api', { dependsOn: ['postgres'], status: 'aborted', endMs: 700 }),
    ],
  };
}

/**
 * {@link sampleHistory} recorded by three instances in turn (`orders-api-1` to `-3`): the slow start is
 * `orders-api-3`'s newest, and `orders-api-1` recorded an ordinary start after it, the newest of the store.
 */
export function fleetHistory() {
  const entries: HistoryEntry[] = sampleHistory().map((e, i) => ({
    ...e,
    instance: `orders-api-${(i % 3) + 1}`,
  }));
  const recordedAt = new Date(Date.UTC(2025, 2, 1, 10, entries.length)).toISOString();
  entries.push({
    recordedAt,
    service: 'orders-api',
    instance: 'orders-api-1',
    report: readyStart({ startedAt: recordedAt }),
  });
  return entries;
}
