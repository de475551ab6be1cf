import {
  type Clock,
  type Disposer,
  type ErrorInfo,
  type HealthResult,
  type HealthStatus,
  type StartupEvents,
  systemClock,
} from '@startup/core';
import { checkDuration } from '@startup/core/plugin-kit';
import type { StartupAnalysis } from './analyze.js';
import { formatMs } from './format.js';
import { atFault } from './plugin-breakdown.js';
import type { StartEstimate } from './predict.js';
import { type SloObjective, type SloReport, type SloWindow, sloWindowText } from './slo.js';
import type { TrendResult } from './trend.js';

/** How urgent an alert is: `alert` to look at, `critical` to act on now. */
export type AlertSeverity = 'alert' | 'critical';

interface AlertBase {
  severity: AlertSeverity;
  /** What happened, for a log line or a chat message. */
  message: string;
  /** Wall-clock time of the alert, ISO 8601. */
  time: string;
  service?: string;
  /** The instance (replica) that raised it, when the monitor was given one. */
  instance?: string;
}

/** The start took longer than the alert (30 s) or critical (60 s) threshold. */
export interface SlowStartAlert extends AlertBase {
  kind: 'slow-start';
  wallMs: number;
  thresholdMs: number;
}

/** The start failed or was aborted. */
export interface StartFailedAlert extends AlertBase {
  kind: 'start-failed';
  severity: 'critical';
  /** The plugins at fault: those that failed, not those another failure (or an outside abort) cut short. */
  plugins: string[];
  error?: ErrorInfo;
}

/**
 * The start was more than the regression threshold (20 %) over its baseline: the median of the service's
 * recent completed starts across all instances (the fleet baseline). Milliseconds and percent.
 */
export interface RegressionAlert extends AlertBase {
  kind: 'regression';
  severity: 'alert';
  wallMs: number;
  baselineMs: number;
  changePercent: number;
  /** Completed starts the baseline is the median of. */
  baselineSize: number;
  /** The instances whose starts make the baseline, sorted. */
  baselineInstances: string[];
  /** The plugins that regressed against their own fleet baseline, slowest change first. */
  plugins: { plugin: string; latestMs: number; medianMs: number; changePercent: number }[];
}

/** A plugin's circuit breaker opened. */
export interface BreakerOpenAlert extends AlertBase {
  kind: 'breaker-open';
  severity: 'critical';
  plugin: string;
  error?: ErrorInfo;
}

/** A plugin's health check started failing (critical for a required plugin). */
export interface HealthFailingAlert extends AlertBase {
  kind: 'health-failing';
  plugin: string;
  status: HealthStatus;
  error?: ErrorInfo;
}

/** A start-up objective (start-time percentile or failure rate) is missed over the SLO window. */
export interface SloBreachAlert extends AlertBase {
  kind: 'slo-breach';
  severity: 'alert';
  /** The objective missed, with its target, what was measured and by how much it is missed (`by`). */
  objective: SloObjective;
  /** The starts it was measured over. */
  window: SloWindow;
}

/** A running start is expected (from the history's per-plugin times) to take longer than the alert threshold. */
export interface StartAtRiskAlert extends AlertBase {
  kind: 'start-at-risk';
  severity: 'alert';
  /** When the start is expected to end, milliseconds since it began. */
  expectedWallMs: number;
  elapsedMs: number;
  thresholdMs: number;
}

/** Every alert, discriminated by `kind`. */
export type Alert =
  | StartAtRiskAlert
  | SloBreachAlert
  | SlowStartAlert
  | StartFailedAlert
  | RegressionAlert
  | BreakerOpenAlert
  | HealthFailingAlert;

/** Options of {@link createAlerts}. */
export interface AlertOptions {
  /** A start longer than this raises an `alert`, in milliseconds. Defaults to 30000 (the spec's default). */
  alertMs?: number;
  /** A start longer than this raises a `critical`, in milliseconds. Defaults to 60000 (the spec's default). */
  criticalMs?: number;
  /** Set on every alert. */
  service?: string;
  /** Set on every alert and named in regression messages: which replica raised it. */
  instance?: string;
  /** For the alert timestamps. Defaults to core's `systemClock`. */
  clock?: Clock;
  /** Receives what a listener threw (listeners never break each other). Defaults to a process warning. */
  onListenerError?: (error: unknown) => void;
}

/** Turns analyses, trends and core events into typed alerts. */
export interface Alerts {
  /** Subscribes to alerts; returns a disposer. */
  onAlert(listener: (alert: Alert) => void): Disposer;
  /** Checks a finished start (and its trend): slow start, failed start, regression. */
  checkStart(analysis: StartupAnalysis, trend?: TrendResult): void;
  /** Raises `regression` when `trend`, read after the start of `analysis` was recorded, says it is one. */
  checkRegression(analysis: StartupAnalysis, trend: TrendResult): void;
  /** Raises `start-at-risk` for a running start's estimate that is on course to exceed its threshold. */
  startAtRisk(estimate: StartEstimate): void;
  /** Checks start-up objectives: each one breached raises an alert saying by how much and over which starts. */
  checkSlo(slo: SloReport): void;
  /** Feeds a core 'breaker:state' event: an OPEN circuit raises a critical alert. */
  breakerChanged(event: StartupEvents['breaker:state']): void;
  /** Feeds a health result: a check that stops passing raises an alert (once, until it passes again). */
  healthChecked(result: HealthResult): void;
}

/**
 * Alert rules of the spec: start > 30 s (alert), > 60 s (critical), regression > 20 %
 * (from the trend), any breaker OPEN, a health check failing; plus a failed start. For the application
 * to forward (log, webhook).
 * @example const alerts = createAlerts(); alerts.onAlert((a) => logger.warn(a.message, a));
 */
export function createAlerts(options: AlertOptions = {}): Alerts {
  const alertMs = checkDuration('alertMs', options.alertMs, 30_000);
  const criticalMs = checkDuration('criticalMs', options.criticalMs, 60_000);
  const clock = options.clock ?? systemClock;
  const onListenerError =
    options.onListenerError ??
    ((error: unknown) =>
      process.emitWarning(`An alert listener threw: ${String(error)}`, {
        code: 'STARTUP_WARN_ALERT_LISTENER',
      }));
  const listeners = new Set<(alert: Alert) => void>();
  const failing = new Set<string>();

  const base = (severity: AlertSeverity, message: string): AlertBase => {
    const b: AlertBase = { severity, message, time: new Date(clock.wallNow()).toISOString() };
    if (options.service !== undefined) b.service = options.service;
    if (options.instance !== undefined) b.instance = options.instance;
    return b;
  };
  const emit = (alert: Alert) => {
    for (const listener of [...listeners]) {
      try {
        listener(alert);
      } catch (error) {
        onListenerError(error);
      }
    }
  };

  const alerts: Alerts = {
    onAlert(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    checkStart(analysis, trend) {
      const wallMs = analysis.wallMs;
      if (analysis.status === 'failed' || analysis.status === 'aborted') {
        const plugins = analysis.plugins.filter(atFault).map((p) => p.name);
        const failed: StartFailedAlert = {
          ...base(
            'critical',
            `Start ${analysis.status} after ${formatMs(wallMs)}${plugins.length > 0 ? ` (${plugins.join(', ')})` : ''}`,
          ),
          kind: 'start-failed',
          severity: 'critical',
          plugins,
        };
        if (analysis.error) failed.error = analysis.error;
        emit(failed);
      }
      const threshold = wallMs > criticalMs ? criticalMs : wallMs > alertMs ? alertMs : undefined;
      if (threshold !== undefined) {
        const severity: AlertSeverity = threshold === criticalMs ? 'critical' : 'alert';
        emit({
          ...base(severity, `Start took ${formatMs(wallMs)}, over ${formatMs(threshold)}`),
          kind: 'slow-start',
          wallMs,
          thresholdMs: threshold,
        });
      }
      if (trend) alerts.checkRegression(analysis, trend);
    },
    checkRegression(analysis, trend) {
      if (trend.regression && trend.baselineMs !== undefined && trend.changePercent !== undefined) {
        emit(regressionAlert(base('alert', ''), analysis.wallMs, trend, options.instance));
      }
    },
    startAtRisk(estimate) {
      if (!estimate.onCourseToExceed || estimate.thresholdMs === undefined) return;
      emit({
        ...base(
          'alert',
          `Start on course to exceed ${formatMs(estimate.thresholdMs)}: expected to end at ${formatMs(estimate.expectedWallMs)}, ${formatMs(estimate.elapsedMs)} in (critical path ${estimate.criticalPath.join(' → ')})`,
        ),
        kind: 'start-at-risk',
        severity: 'alert',
        expectedWallMs: estimate.expectedWallMs,
        elapsedMs: estimate.elapsedMs,
        thresholdMs: estimate.thresholdMs,
      });
    },
    checkSlo(slo) {
      for (const objective of [slo.startTime, slo.failureRate]) {
        if (objective.met) continue;
        emit({
          ...base('alert', `Start-up objective breached: ${objective.text}, over the ${sloWindowText(slo)}`),
          kind: 'slo-breach',
          severity: 'alert',
          objective,
          window: slo.window,
        });
      }
    },
    breakerChanged(event) {
      if (event.to !== 'OPEN') return;
      const alert: BreakerOpenAlert = {
        ...base(
          'critical',
          `Circuit breaker of "${event.plugin}" is OPEN${event.error ? `: ${event.error.message}` : ''}`,
        ),
        kind: 'breaker-open',
        severity: 'critical',
        plugin: event.plugin,
      };
      if (event.error) alert.error = event.error;
      emit(alert);
    },
    healthChecked(result) {
      for (const [plugin, check] of Object.entries(result.checks)) {
        if (check.status === 'pass') {
          failing.delete(plugin);
          continue;
        }
        if (failing.has(plugin)) continue;
        failing.add(plugin);
        const alert: HealthFailingAlert = {
          ...base(
            check.optional ? 'alert' : 'critical',
            `Health check of "${plugin}" is failing${check.error ? `: ${check.error.message}` : ''}`,
          ),
          kind: 'health-failing',
          plugin,
          status: check.status,
        };
        if (check.error) alert.error = check.error;
        emit(alert);
      }
    },
  };
  return alerts;
}

function regressionAlert(
  base: AlertBase,
  wallMs: number,
  trend: TrendResult,
  instance: string | undefined,
): RegressionAlert {
  const baselineMs = trend.baselineMs!;
  const changePercent = trend.changePercent!;
  const plugins = trend.plugins
    .filter((p) => p.regression)
    .map((p) => ({
      plugin: p.plugin,
      latestMs: p.latestMs!,
      medianMs: p.medianMs!,
      changePercent: p.changePercent!,
    }))
    .sort((a, b) => b.changePercent - a.changePercent);
  const instances = trend.baselineInstances;
  const fleet =
    instances.length === 0
      ? `median of ${trend.baselineSize} completed starts`
      : `median of ${trend.baselineSize} completed starts across ${instances.length === 1 ? 'instance' : `${instances.length} instances:`} ${instances.join(', ')}`;
  const slower = plugins.map((p) => `${p.plugin} ${formatMs(p.latestMs)} vs ${formatMs(p.medianMs)}`);
  const who = instance === undefined ? 'Start' : `Start of instance ${instance}`;
  const message =
    `${who} took ${formatMs(wallMs)}, ${Math.round(changePercent)} % over the fleet baseline of ${formatMs(baselineMs)} (${fleet})` +
    (slower.length > 0 ? `; slower plugins: ${slower.join(', ')}` : '');
  return {
    ...base,
    message,
    kind: 'regression',
    severity: 'alert',
    wallMs,
    baselineMs,
    changePercent,
    baselineSize: trend.baselineSize,
    baselineInstances: instances,
    plugins,
  };
}
