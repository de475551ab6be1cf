import { criticalPath, type ErrorInfo, type StartupReport, type StartupStatus } from '@startup/core';
import { invalidOption } from '@startup/core/plugin-kit';
import {
  checkGradeThresholds,
  type GradeResult,
  type GradeThresholds,
  originGrades,
  startGrade,
} from './grade.js';
import { breakdown, type PluginBreakdown, type StepTiming } from './plugin-breakdown.js';

/** A plugin on the critical path, ranked by its own work. */
export interface Bottleneck {
  plugin: string;
  /** Own work in milliseconds. */
  ownMs: number;
  /** Backoff on this plugin, in milliseconds. */
  backoffMs: number;
  retries: number;
  /** Its duration as a share of the wall time, 0–1. */
  share: number;
  slowestStep?: StepTiming;
}

/** What {@link analyze} finds in a start-up report. Times in milliseconds; efficiencies are ratios (3 = 300 %). */
export interface StartupAnalysis {
  status: StartupStatus;
  /** Wall-clock time the start began, ISO 8601. */
  startedAt: string;
  wallMs: number;
  /** Sum of every plugin's duration: roughly what a sequential start would have taken. */
  sumMs: number;
  /** `sumMs ÷ wallMs` (the origin's "300 %" is 3). 1 when nothing ran. */
  efficiency: number;
  /**
   * The chain of plugins that decided the wall time, first to last: `@startup/core`'s `criticalPath()`,
   * recomputed from the plugins (for a report of this version, the report's own `criticalPath`).
   */
  criticalPath: string[];
  /**
   * The summed durations (`init` beginning to settling, retries and backoff included) of the plugins on
   * {@link criticalPath}, in milliseconds: the least wall time this graph allows with these durations. Not
   * the report's `criticalPathEndMs`, which is when the chain ended (waits included).
   */
  criticalPathWorkMs: number;
  /**
   * The same value as {@link criticalPathWorkMs}, under its old name; kept for one minor version.
   * @deprecated Use `criticalPathWorkMs`.
   */
  criticalPathMs: number;
  /** `sumMs ÷ criticalPathWorkMs`: the best efficiency this dependency graph allows. 1 when nothing ran. */
  bestEfficiency: number;
  /** `wallMs − criticalPathWorkMs`: time lost to scheduling, in milliseconds (≥ 0). */
  slackMs: number;
  /** In the report's order. */
  plugins: PluginBreakdown[];
  /** Plugins on the critical path, longest own work first. */
  bottlenecks: Bottleneck[];
  /** By wall time; F (`FAILED`) for a start that failed or was aborted, however fast. */
  grade: GradeResult;
  /** The thresholds the grade was computed with. */
  thresholds: GradeThresholds;
  /** Total event-loop blocking during the start, when blocking figures were given. */
  blockedMs?: number;
  /** The error that failed or aborted the start (from the report). */
  error?: ErrorInfo;
}

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Grade thresholds. Defaults to {@link originGrades}. */
  grades?: GradeThresholds;
  /** Event-loop blocking per plugin in milliseconds, e.g. `blockingMonitor.report().perPlugin`. */
  blockedMs?: Readonly<Record<string, number>>;
}

/**
 * Analyses a start-up report: efficiency, critical path, per-plugin breakdown, bottlenecks and grade.
 * Works on a finished report and on one taken while the start runs.
 * @example const a = analyze(app.report()); a.efficiency; a.bottlenecks[0]?.plugin; a.grade.grade
 */
export function analyze(report: StartupReport, options: AnalyzeOptions = {}): StartupAnalysis {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.plugins)) {
    throw invalidOption('report', 'a StartupReport (an object with a plugins array)', report);
  }
  const thresholds = options.grades === undefined ? originGrades : checkGradeThresholds(options.grades);
  const wallMs = Math.max(0, report.wallMs);
  const byName = new Map(report.plugins.map((p) => [p.name, p]));
  const chain = criticalPath(report.plugins, wallMs).path;
  const onChain = new Set(chain);
  const plugins = report.plugins.map((p) =>
    breakdown(p, byName, wallMs, onChain.has(p.name), options.blockedMs),
  );
  const sumMs = plugins.reduce((sum, p) => sum + p.durationMs, 0);
  const workMs = plugins.filter((p) => p.onCriticalPath).reduce((sum, p) => sum + p.durationMs, 0);
  const bottlenecks = chain
    .map((name) => plugins.find((p) => p.name === name)!)
    .sort((a, b) => b.ownMs - a.ownMs)
    .map((p) => {
      const b: Bottleneck = {
        plugin: p.name,
        ownMs: p.ownMs,
        backoffMs: p.backoffMs,
        retries: p.retries,
        share: wallMs > 0 ? Math.min(1, p.durationMs / wallMs) : 0,
      };
      if (p.slowestStep) b.slowestStep = p.slowestStep;
      return b;
    });
  const analysis: StartupAnalysis = {
    status: report.status,
    startedAt: report.startedAt,
    wallMs,
    sumMs,
    efficiency: ratio(sumMs, wallMs),
    criticalPath: chain,
    criticalPathWorkMs: workMs,
    criticalPathMs: workMs,
    bestEfficiency: ratio(sumMs, workMs),
    slackMs: Math.max(0, wallMs - workMs),
    plugins,
    bottlenecks,
    grade: startGrade(report.status, wallMs, thresholds),
    thresholds,
  };
  if (report.error) analysis.error = report.error;
  if (options.blockedMs) analysis.blockedMs = plugins.reduce((sum, p) => sum + (p.blockedMs ?? 0), 0);
  return analysis;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 1;
}
