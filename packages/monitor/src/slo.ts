import { checkInteger, checkNumber, checkString } from '@startup/core/plugin-kit';
import { formatMs } from './format.js';
import type { HistoryEntry } from './history-store.js';
import { percentile as nearestRank } from './median.js';

/** Start-up objectives, measured over the last starts of a service (all its instances) in a history. */
export interface SloOptions {
  /** The start-time objective: the `percentile` of completed starts' wall time at most this, in milliseconds. Defaults to 20000. */
  objectiveMs?: number;
  /** Which percentile of the wall time `objectiveMs` bounds, 1–100. Defaults to 95. */
  percentile?: number;
  /** The failure-rate objective: failed starts ÷ finished starts below this ratio. Defaults to 0.01 (origin: "< 1 % failure rate"). */
  maxFailureRate?: number;
  /** The window: the newest this many starts. Defaults to 50. */
  window?: number;
  /** Only this service's starts. Defaults to all entries. */
  service?: string;
}

/** The starts an {@link SloReport} was measured over. */
export interface SloWindow {
  /** Starts in the window (`window` at most), aborted ones included. */
  starts: number;
  /** The window's size as configured. */
  size: number;
  /** `recordedAt` of its oldest and newest start, ISO 8601. */
  from?: string;
  to?: string;
}

/** One objective: its target, what was measured, whether it holds and by how much it is missed. */
export interface SloObjective {
  /** `start-time` (a percentile of the wall time, milliseconds) or `failure-rate` (a ratio 0–1). */
  kind: 'start-time' | 'failure-rate';
  /** The target: milliseconds for start time, a ratio for failure rate. */
  target: number;
  /** What the window shows, in the target's unit; absent when it holds no start to measure. */
  actual?: number;
  /** `actual − target` when breached (milliseconds, or ratio points); else absent. */
  by?: number;
  met: boolean;
  /** The starts it was measured on: completed starts for start time, finished (not aborted) for failure rate. */
  measured: number;
  /** Failures among them (failure rate only). */
  failures?: number;
  /** One line: objective, measurement, verdict. */
  text: string;
}

/** The result of {@link startupSlo}. */
export interface SloReport {
  service?: string;
  window: SloWindow;
  /** The percentile `startTime` measures. */
  percentile: number;
  startTime: SloObjective;
  failureRate: SloObjective;
  /** Both objectives met. */
  met: boolean;
}

/**
 * Measures the start-up objectives over the newest `window` starts: the `percentile` of the completed starts'
 * wall time against `objectiveMs`, and the share of failed starts against `maxFailureRate`. Aborted starts (a
 * shutdown during the start) count in neither. An objective with nothing to measure is met.
 */
export function startupSlo(entries: readonly HistoryEntry[], options: SloOptions = {}): SloReport {
  const settings = checkSloOptions(options);
  const scoped =
    settings.service === undefined ? entries : entries.filter((e) => e.service === settings.service);
  const recent = scoped.slice(-settings.window);
  const completed = recent.filter((e) => e.report.status === 'ready' || e.report.status === 'degraded');
  const finished = recent.filter((e) => e.report.status !== 'aborted' && e.report.status !== 'starting');
  const failures = finished.filter((e) => e.report.status === 'failed').length;
  const window: SloWindow = { starts: recent.length, size: settings.window };
  if (recent.length > 0) {
    window.from = recent[0]!.recordedAt;
    window.to = recent.at(-1)!.recordedAt;
  }
  const p = settings.percentile;
  const wall = nearestRank(
    completed.map((e) => e.report.wallMs),
    p,
  );
  const startTime = objective('start-time', settings.objectiveMs, wall, completed.length);
  startTime.text = `start time p${p} ≤ ${formatMs(settings.objectiveMs)}: ${
    wall === undefined ? 'no completed start' : formatMs(wall)
  }${verdictOf(startTime, (by) => `over by ${formatMs(by)}`)}`;
  const rate = finished.length === 0 ? undefined : failures / finished.length;
  const failureRate = objective('failure-rate', settings.maxFailureRate, rate, finished.length, true);
  failureRate.failures = failures;
  failureRate.text = `failure rate < ${percent(settings.maxFailureRate)}: ${
    rate === undefined ? 'no finished start' : `${percent(rate)} (${failures} of ${finished.length})`
  }${verdictOf(failureRate, (by) => `over by ${percent(by).replace(' %', '')} percentage points`)}`;
  const report: SloReport = {
    window,
    percentile: p,
    startTime,
    failureRate,
    met: startTime.met && failureRate.met,
  };
  if (settings.service !== undefined) report.service = settings.service;
  return report;
}

/** Validated {@link SloOptions} with their defaults. Throws `STARTUP_ERR_INVALID_OPTION` naming the field. */
export function checkSloOptions(
  options: SloOptions,
): Required<Omit<SloOptions, 'service'>> & { service?: string } {
  const service = checkString('slo.service', options.service, undefined);
  return {
    objectiveMs: checkNumber('slo.objectiveMs', options.objectiveMs, 20_000, { min: 0 }),
    percentile: checkNumber('slo.percentile', options.percentile, 95, { min: 1, max: 100 }),
    maxFailureRate: checkNumber('slo.maxFailureRate', options.maxFailureRate, 0.01, { min: 0, max: 1 }),
    window: checkInteger('slo.window', options.window, 50),
    ...(service === undefined ? {} : { service }),
  };
}

/** The header line of the SLO section: which starts it was measured over. */
export function sloWindowText(slo: SloReport): string {
  const { window } = slo;
  const of = slo.service === undefined ? '' : ` of ${slo.service}`;
  const span = window.from === undefined ? '' : `, ${window.from} → ${window.to}`;
  return `last ${window.starts} starts${of} (window ${window.size}${span})`;
}

/** The SLO section of `startup-monitor report`. */
export function sloText(slo: SloReport): string {
  return `Start-up objectives over the ${sloWindowText(slo)}\n  ${slo.startTime.text}\n  ${slo.failureRate.text}\n`;
}

function objective(
  kind: SloObjective['kind'],
  target: number,
  actual: number | undefined,
  measured: number,
  strict = false,
): SloObjective {
  // Start time: at most the target. Failure rate: below it ("< 1 %"), except that a target of 0 allows none.
  const met = actual === undefined || (strict && target > 0 ? actual < target : actual <= target);
  const o: SloObjective = { kind, target, met, measured, text: '' };
  if (actual !== undefined) o.actual = actual;
  if (!met) o.by = actual! - target;
  return o;
}

function verdictOf(o: SloObjective, breach: (by: number) => string): string {
  if (o.actual === undefined) return '';
  return o.met ? ' — met' : ` — BREACHED, ${breach(o.by!)}`;
}

function percent(ratio: number): string {
  const value = ratio * 100;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} %`;
}
