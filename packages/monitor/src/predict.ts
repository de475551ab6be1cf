import type { PluginReport, StartupReport } from '@startup/core';
import { checkInteger } from '@startup/core/plugin-kit';
import { formatMs } from './format.js';
import type { HistoryEntry, StartPrediction } from './history-store.js';
import { median } from './median.js';

/** Options of {@link startPredictor}. */
export interface PredictOptions {
  /** Only this service's starts. Defaults to all entries. */
  service?: string;
  /** The newest this many completed starts are learnt from: a whole number ≥ 1. Defaults to 20. */
  window?: number;
}

/** Where a running start is heading, from the history's per-plugin times. Milliseconds since the start began. */
export interface StartEstimate {
  /** When the whole start is expected to end. */
  expectedWallMs: number;
  /** How long the start has been running when the estimate was made. */
  elapsedMs: number;
  /** `expectedWallMs − elapsedMs`, never below 0. */
  remainingMs: number;
  /** The chain of plugins expected to decide the end, first to last. */
  criticalPath: string[];
  /** The threshold it was checked against (the slow-start alert), when given. */
  thresholdMs?: number;
  /** `true` when the start is expected to end after `thresholdMs`. */
  onCourseToExceed: boolean;
  /** Plugins with no history: counted as taking no time. */
  unknown: string[];
  /** Completed starts the per-plugin times come from. */
  basedOn: number;
  /** One line for people, e.g. `expected 1.2 s (0.4 s left)`, with a warning when on course to exceed. */
  text: string;
}

/** Expected per-plugin times learnt from a history. */
export interface StartPredictor {
  /** Median `durationMs` of each plugin over its ready runs in the window. */
  readonly plugins: Readonly<Record<string, number>>;
  readonly basedOn: number;
  /** Where `report` (a start so far, or one not begun) is heading; `thresholdMs` is the slow-start alert. */
  estimate(report: StartupReport, elapsedMs?: number, thresholdMs?: number): StartEstimate;
  /** The prediction of a start with `report`'s plugins before it began, as recorded with its history entry. */
  predict(report: StartupReport): StartPrediction;
}

/**
 * Learns each plugin's expected time (the median of its `durationMs` over the newest completed starts) and
 * estimates a start's end over its dependency graph: a plugin ends at its dependencies' end plus its expected time,
 * a running one no earlier than now, a settled one when it did. Returns `undefined` without a completed start.
 */
export function startPredictor(
  entries: readonly HistoryEntry[],
  options: PredictOptions = {},
): StartPredictor | undefined {
  const window = checkInteger('window', options.window, 20);
  const scoped =
    options.service === undefined ? entries : entries.filter((e) => e.service === options.service);
  const completed = scoped
    .filter((e) => e.report.status === 'ready' || e.report.status === 'degraded')
    .slice(-window);
  if (completed.length === 0) return undefined;
  const durations = new Map<string, number[]>();
  for (const e of completed) {
    for (const p of e.report.plugins) {
      if (p.status !== 'ready' || p.durationMs === undefined) continue;
      const list = durations.get(p.name) ?? [];
      list.push(p.durationMs);
      durations.set(p.name, list);
    }
  }
  const plugins = Object.fromEntries([...durations].map(([name, list]) => [name, median(list)!]));
  const basedOn = completed.length;
  const estimate = (report: StartupReport, elapsedMs = report.wallMs, thresholdMs?: number) =>
    estimateOf(report, plugins, basedOn, elapsedMs, thresholdMs);
  return {
    plugins,
    basedOn,
    estimate,
    predict(report) {
      const fresh = { ...report, plugins: report.plugins.map(notBegun) };
      const e = estimate(fresh, 0);
      const known = report.plugins.filter((p) => plugins[p.name] !== undefined);
      return {
        wallMs: e.expectedWallMs,
        plugins: Object.fromEntries(known.map((p) => [p.name, plugins[p.name]!])),
        basedOn,
      };
    },
  };
}

function notBegun(p: PluginReport): PluginReport {
  return {
    name: p.name,
    dependsOn: p.dependsOn,
    optional: p.optional,
    status: 'pending',
    queuedMs: 0,
    attempts: [],
    steps: [],
  };
}

function estimateOf(
  report: StartupReport,
  expected: Readonly<Record<string, number>>,
  basedOn: number,
  elapsedMs: number,
  thresholdMs: number | undefined,
): StartEstimate {
  const byName = new Map(report.plugins.map((p) => [p.name, p]));
  const end = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  const unknown = report.plugins.filter((p) => expected[p.name] === undefined).map((p) => p.name);
  // Kahn's order, iteratively: a plugin's end needs its dependencies' ends. A cycle (not from core) is left out.
  const waiting = new Map(
    report.plugins.map((p) => [p.name, new Set(p.dependsOn.filter((d) => byName.has(d))).size]),
  );
  const ready = report.plugins.filter((p) => waiting.get(p.name) === 0);
  for (let i = 0; i < ready.length; i++) {
    const p = ready[i]!;
    let depsEnd = 0;
    let last: string | undefined;
    for (const d of p.dependsOn) {
      const at = end.get(d);
      if (at !== undefined && at >= depsEnd) {
        depsEnd = at;
        last = d;
      }
    }
    end.set(p.name, endOf(p, depsEnd, expected[p.name] ?? 0, elapsedMs));
    via.set(p.name, last);
    for (const q of report.plugins) {
      if (!q.dependsOn.includes(p.name)) continue;
      const left = waiting.get(q.name)! - 1;
      waiting.set(q.name, left);
      if (left === 0) ready.push(q);
    }
  }
  let expectedWallMs = 0;
  let tail: string | undefined;
  for (const [name, at] of end) {
    if (at >= expectedWallMs) {
      expectedWallMs = at;
      tail = name;
    }
  }
  const criticalPath: string[] = [];
  for (let n = tail; n !== undefined && criticalPath.length <= report.plugins.length; n = via.get(n)) {
    criticalPath.unshift(n);
  }
  const remainingMs = Math.max(0, expectedWallMs - elapsedMs);
  const onCourseToExceed = thresholdMs !== undefined && expectedWallMs > thresholdMs;
  const e: StartEstimate = {
    expectedWallMs,
    elapsedMs,
    remainingMs,
    criticalPath,
    onCourseToExceed,
    unknown,
    basedOn,
    text: `expected ${formatMs(expectedWallMs)} (${formatMs(remainingMs)} left)${
      onCourseToExceed ? `: on course to exceed the ${formatMs(thresholdMs!)} alert threshold` : ''
    }`,
  };
  if (thresholdMs !== undefined) e.thresholdMs = thresholdMs;
  return e;
}

/** When plugin `p` ends, given when its dependencies end and its expected time. */
function endOf(p: PluginReport, depsEnd: number, expectedMs: number, elapsedMs: number): number {
  if (p.readyMs !== undefined) return p.readyMs;
  if (p.endMs !== undefined) return p.endMs;
  if (p.status === 'starting' && p.depsReadyMs !== undefined) {
    return Math.max(elapsedMs, p.depsReadyMs + expectedMs);
  }
  // Not begun: it begins once its dependencies end, and no earlier than now.
  return Math.max(elapsedMs, depsEnd) + expectedMs;
}

/** How good the recorded predictions were: the completed starts that carry one, and their errors. */
export interface PredictionAccuracy {
  /** Completed starts with a recorded prediction. */
  n: number;
  /** Median of |predicted − actual| ÷ actual, a ratio. */
  medianErrorRatio?: number;
  /** The newest such start: predicted and actual wall time, milliseconds. */
  newest?: { predictedMs: number; actualMs: number };
}

/** Compares each recorded prediction with the start's actual wall time (completed starts only). */
export function predictionAccuracy(entries: readonly HistoryEntry[]): PredictionAccuracy {
  const predicted = entries.filter(
    (e) => e.prediction !== undefined && (e.report.status === 'ready' || e.report.status === 'degraded'),
  );
  const errors = predicted
    .filter((e) => e.report.wallMs > 0)
    .map((e) => Math.abs(e.prediction!.wallMs - e.report.wallMs) / e.report.wallMs);
  const result: PredictionAccuracy = { n: predicted.length };
  const m = median(errors);
  if (m !== undefined) result.medianErrorRatio = m;
  const newest = predicted.at(-1);
  if (newest) result.newest = { predictedMs: newest.prediction!.wallMs, actualMs: newest.report.wallMs };
  return result;
}

/** The prediction line of `startup-monitor report`. */
export function predictionText(a: PredictionAccuracy): string {
  if (a.n === 0)
    return 'Predictions: none recorded yet (createMonitor records one with each start once it has history)\n';
  const error =
    a.medianErrorRatio === undefined ? '' : `, median error ${Math.round(a.medianErrorRatio * 1000) / 10} %`;
  const newest = a.newest
    ? `; newest: predicted ${formatMs(a.newest.predictedMs)}, took ${formatMs(a.newest.actualMs)}`
    : '';
  return `Predictions: ${a.n} completed starts predicted${error}${newest}\n`;
}
