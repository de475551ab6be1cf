import type { StartupStatus } from '@startup/core';
import { checkInteger, checkNumber, checkString, invalidOption } from '@startup/core/plugin-kit';
import type { HistoryEntry } from './history-store.js';
import { median } from './median.js';

/** Options of {@link trend}. */
export interface TrendOptions {
  /** How many completed starts before the newest make the baseline. Defaults to 10. */
  baselineWindow?: number;
  /** A start (or plugin) more than this many percent over its baseline is a regression. Defaults to 20 (the spec's default). */
  regressionPercent?: number;
  /** Only entries of this service (for a store shared by several services). Defaults to all entries. */
  service?: string;
  /**
   * The start compared is the newest of this instance, not the newest of the store: the baseline is still
   * made of the service's completed starts before it across all instances (the fleet baseline). Defaults to
   * the newest start of any instance.
   */
  instance?: string;
}

/** One start in a trend, for charts. */
export interface TrendPoint {
  recordedAt: string;
  service?: string;
  instance?: string;
  status: StartupStatus;
  /** In milliseconds. */
  wallMs: number;
}

/** How one plugin's duration moved. Milliseconds and percent. */
export interface PluginTrend {
  plugin: string;
  /** Its duration in the newest start, if it ran there. */
  latestMs?: number;
  /** Median of its durations over the baseline starts, if it ran in any. */
  medianMs?: number;
  /** `(latestMs − medianMs) ÷ medianMs × 100`, when both exist and the median is above 0. */
  changePercent?: number;
  /** `changePercent` above the regression threshold. */
  regression: boolean;
  /** Baseline starts it was measured in. */
  samples: number;
}

/** What {@link trend} finds in a history. Milliseconds and percent. */
export interface TrendResult {
  /** Every entry considered, oldest first. */
  points: TrendPoint[];
  /** The start compared: the newest entry (of `instance`, when given). */
  latest?: TrendPoint;
  /**
   * Median wall time of the baseline starts: the last `baselineWindow` completed starts before the one
   * compared, whichever instance made them (the fleet baseline).
   */
  baselineMs?: number;
  /** Starts the baseline was computed from (0 to `baselineWindow`). */
  baselineSize: number;
  /** The instances whose starts make the baseline, sorted; starts recorded without one are not named. */
  baselineInstances: string[];
  /** `(latest − baseline) ÷ baseline × 100`, when there is a baseline above 0. */
  changePercent?: number;
  /** The newest start is more than `regressionPercent` over the baseline. */
  regression: boolean;
  /** The threshold used, in percent. */
  regressionPercent: number;
  /** Per plugin, in the newest report's order, then plugins only seen in the baseline. */
  plugins: PluginTrend[];
}

const completed = new Set<StartupStatus>(['ready', 'degraded']);

/**
 * Trend of a history (oldest first, as {@link HistoryStore.list} returns it): the newest start (of
 * `instance`, when given) against the median of the service's completed starts before it, whichever instance
 * made them, overall and per plugin. Failed starts are shown in `points` but never enter a baseline.
 * @example const t = trend(await history.list(11)); if (t.regression) console.warn(`+${t.changePercent}%`);
 */
export function trend(entries: readonly HistoryEntry[], options: TrendOptions = {}): TrendResult {
  if (!Array.isArray(entries)) throw invalidOption('entries', 'an array of history entries', entries);
  const window = checkInteger('baselineWindow', options.baselineWindow, 10);
  const regressionPercent = checkNumber('regressionPercent', options.regressionPercent, 20, { min: 0 });
  const instance = checkString('instance', options.instance, undefined);
  const selected = entries.filter((e) => options.service === undefined || e.service === options.service);
  const points = selected.map(toPoint);
  const at =
    instance === undefined ? selected.length - 1 : selected.findLastIndex((e) => e.instance === instance);
  const newest = selected[at];
  const baseline = selected
    .slice(0, Math.max(0, at))
    .filter((e) => completed.has(e.report.status))
    .slice(-window);
  const result: TrendResult = {
    points,
    baselineSize: baseline.length,
    baselineInstances: [
      ...new Set(baseline.flatMap((e) => (e.instance === undefined ? [] : [e.instance]))),
    ].sort(),
    regression: false,
    regressionPercent,
    plugins: [],
  };
  if (newest === undefined) return result;
  result.latest = points[at]!;
  const baselineMs = median(baseline.map((e) => e.report.wallMs));
  if (baselineMs !== undefined) {
    result.baselineMs = baselineMs;
    const change = percentChange(newest.report.wallMs, baselineMs);
    if (change !== undefined) {
      result.changePercent = change;
      result.regression = change > regressionPercent;
    }
  }
  result.plugins = pluginTrends(newest, baseline, regressionPercent);
  return result;
}

function toPoint(e: HistoryEntry): TrendPoint {
  const point: TrendPoint = { recordedAt: e.recordedAt, status: e.report.status, wallMs: e.report.wallMs };
  if (e.service !== undefined) point.service = e.service;
  if (e.instance !== undefined) point.instance = e.instance;
  return point;
}

function percentChange(value: number, base: number): number | undefined {
  return base > 0 ? ((value - base) / base) * 100 : undefined;
}

function readyDurations(entry: HistoryEntry): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of entry.report.plugins) {
    if (p.status === 'ready' && typeof p.durationMs === 'number') out.set(p.name, p.durationMs);
  }
  return out;
}

function pluginTrends(
  newest: HistoryEntry,
  baseline: HistoryEntry[],
  regressionPercent: number,
): PluginTrend[] {
  const latest = readyDurations(newest);
  const past = baseline.map(readyDurations);
  const names = [...newest.report.plugins.map((p) => p.name)];
  for (const durations of past)
    for (const name of durations.keys()) if (!names.includes(name)) names.push(name);
  return names.map((plugin) => {
    const samples = past.flatMap((d) => (d.has(plugin) ? [d.get(plugin)!] : []));
    const t: PluginTrend = { plugin, regression: false, samples: samples.length };
    const latestMs = latest.get(plugin);
    const medianMs = median(samples);
    if (latestMs !== undefined) t.latestMs = latestMs;
    if (medianMs !== undefined) t.medianMs = medianMs;
    if (latestMs !== undefined && medianMs !== undefined) {
      const change = percentChange(latestMs, medianMs);
      if (change !== undefined) {
        t.changePercent = change;
        t.regression = change > regressionPercent;
      }
    }
    return t;
  });
}
