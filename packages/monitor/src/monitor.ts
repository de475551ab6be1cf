import {
  type BreakerState,
  type Clock,
  type Disposer,
  type HealthResult,
  type StartupReport,
  systemClock,
} from '@startup/core';
import { checkInteger } from '@startup/core/plugin-kit';
import { type Alert, type AlertOptions, createAlerts } from './alerts.js';
import { analyze, type StartupAnalysis } from './analyze.js';
import { type BlockingMonitor, type BlockingOptions, monitorBlocking } from './blocking.js';
import type { StartupEventSource } from './event-source.js';
import { checkGradeThresholds, type GradeThresholds, originGrades } from './grade.js';
import { type HealthPayload, type HealthPayloadOptions, healthPayload } from './health-payload.js';
import type { HistoryStore } from './history-store.js';
import { traceStartup } from './otel.js';
import { type PrometheusOptions, prometheusMetrics } from './prometheus.js';
import { type Recommendation, type RecommendOptions, recommend } from './recommend.js';
import { responseTimes } from './response-times.js';
import { type TrendResult, trend } from './trend.js';

/** What the monitor needs of an application: core's `createStartup()` result fits. */
export interface MonitoredApp extends StartupEventSource {
  report(): StartupReport;
}

/** Options of {@link createMonitor}. */
export interface MonitorOptions {
  /** Where each start is appended; without one there is no trend and no regression alert. */
  history?: HistoryStore;
  /** Grade thresholds; recommendations and default alert thresholds follow them. Defaults to the origin grades. */
  grades?: GradeThresholds;
  /** Recorded with each start and set on alerts, for a shared history. */
  service?: string;
  /** Completed starts the trend's baseline is made of. Defaults to 10. */
  baselineWindow?: number;
  /** Alert thresholds. Default to half of the `D` grade bound (alert) and the `D` bound (critical): 30 s and 60 s with the origin grades. */
  alerts?: Pick<AlertOptions, 'alertMs' | 'criticalMs'>;
  /** Event-loop blocking attribution during the start (see {@link monitorBlocking}). Defaults to true. */
  blocking?: boolean | BlockingOptions;
  /** OpenTelemetry spans of each start when `@opentelemetry/api` is installed. Defaults to true. */
  tracing?: boolean;
  recommend?: RecommendOptions;
  /** Health runs kept for the rolling response-time figures. Defaults to 100. */
  responseTimeWindow?: number;
  /** Time source. Defaults to core's `systemClock`. */
  clock?: Clock;
  /** Receives history, tracing and listener errors (the monitor never throws into the app). Defaults to a process warning. */
  onError?: (error: unknown) => void;
}

/** A running monitor. */
export interface Monitor {
  /** The last finished start's analysis, or the start so far when none finished. */
  analysis(): StartupAnalysis;
  /** The trend after the last finished start, once its history was read. */
  trend(): TrendResult | undefined;
  recommendations(): Recommendation[];
  /** The `application/health+json` body for `health` (defaults to the last 'health' event's result). */
  healthPayload(health?: HealthResult, options?: HealthPayloadOptions): HealthPayload;
  /** Prometheus text exposition of the last start, health and breaker states. */
  metrics(options?: PrometheusOptions): string;
  /** Subscribes to alerts; returns a disposer. */
  onAlert(listener: (alert: Alert) => void): Disposer;
  /** Resolves once the work after the last finished start (history, trend, alerts, spans) is done. */
  idle(): Promise<void>;
  /** Unsubscribes from the app and stops sampling. Idempotent. */
  dispose(): void;
}

const finished = new Set(['ready', 'degraded', 'failed', 'aborted']);

/**
 * Watches an application: on 'startup:ready' or 'startup:failed' it analyses the report, appends it to
 * the history, computes the trend and raises alerts; it follows breaker and health events for alerts,
 * metrics and the health payload. Create it before `app.start()` to measure event-loop blocking.
 * @example const monitor = createMonitor(app, { history: jsonlHistory({ file: '.startup/history.jsonl' }) });
 */
export function createMonitor(app: MonitoredApp, options: MonitorOptions = {}): Monitor {
  const grades = options.grades === undefined ? originGrades : checkGradeThresholds(options.grades);
  const baselineWindow = checkInteger('baselineWindow', options.baselineWindow, 10);
  const clock = options.clock ?? systemClock;
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.emitWarning(`@startup/monitor: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'STARTUP_WARN_MONITOR',
      }));
  const alerts = createAlerts({
    alertMs: options.alerts?.alertMs ?? grades.D / 2,
    criticalMs: options.alerts?.criticalMs ?? grades.D,
    clock,
    onListenerError: onError,
    ...(options.service === undefined ? {} : { service: options.service }),
  });
  const window = responseTimes({ size: checkInteger('responseTimeWindow', options.responseTimeWindow, 100) });
  const breakers: Record<string, BreakerState> = {};
  let lastReport: StartupReport | undefined;
  let lastAnalysis: StartupAnalysis | undefined;
  let lastTrend: TrendResult | undefined;
  let lastHealth: HealthResult | undefined;
  let pending: Promise<void> = Promise.resolve();
  let disposed = false;

  let blocking: BlockingMonitor | undefined;
  const current = safeReport(app);
  const alreadyFinished = current !== undefined && finished.has(current.status);
  if (options.blocking !== false && !alreadyFinished) {
    blocking = monitorBlocking(app, {
      clock,
      ...(typeof options.blocking === 'object' ? options.blocking : {}),
    });
  }

  const afterStart = async (report: StartupReport, analysis: StartupAnalysis) => {
    let t: TrendResult | undefined;
    if (options.history) {
      try {
        const entry = { recordedAt: new Date(clock.wallNow()).toISOString(), report };
        await options.history.append(
          options.service === undefined ? entry : { ...entry, service: options.service },
        );
        const entries = await options.history.list();
        t = trend(entries, {
          baselineWindow,
          ...(options.service === undefined ? {} : { service: options.service }),
        });
      } catch (error) {
        onError(error);
      }
    }
    lastTrend = t;
    alerts.checkStart(analysis, t);
    if (options.tracing !== false) {
      try {
        await traceStartup(report, {
          analysis,
          ...(options.service === undefined ? {} : { service: options.service }),
        });
      } catch (error) {
        onError(error);
      }
    }
  };

  const finish = (report: StartupReport) => {
    if (disposed) return;
    const blockedMs = blocking?.stop().perPlugin;
    lastReport = report;
    lastAnalysis = analyze(report, { grades, ...(blockedMs ? { blockedMs } : {}) });
    const analysis = lastAnalysis;
    pending = pending.then(() => afterStart(report, analysis));
  };

  const disposers: Disposer[] = [
    app.on('startup:ready', ({ report }) => finish(report)),
    app.on('startup:failed', ({ report }) => finish(report)),
    app.on('breaker:state', (event) => {
      breakers[event.plugin] = event.to;
      alerts.breakerChanged(event);
    }),
    app.on('health', ({ result }) => {
      lastHealth = result;
      window.record(result.durationMs);
      for (const [name, check] of Object.entries(result.checks)) breakers[name] = check.breaker.state;
      alerts.healthChecked(result);
    }),
  ];
  if (alreadyFinished) finish(current);

  const analysisNow = (): StartupAnalysis => lastAnalysis ?? analyze(app.report(), { grades });

  return {
    analysis: analysisNow,
    trend: () => lastTrend,
    recommendations: () => recommend(analysisNow(), options.recommend),
    healthPayload(health = lastHealth, payloadOptions = {}) {
      const analysis = analysisNow();
      const result = health ?? healthFromAnalysis(analysis, clock);
      return healthPayload(result, lastReport, analysis, {
        responseTimes: window.summary(),
        ...(options.service === undefined ? {} : { serviceId: options.service }),
        ...payloadOptions,
      });
    },
    metrics(metricsOptions = {}) {
      const labels: Record<string, string> =
        options.service === undefined ? {} : { service: options.service };
      return prometheusMetrics(
        {
          analysis: analysisNow(),
          breakers,
          healthRuns: window.summary(),
          ...(lastHealth ? { health: lastHealth } : {}),
        },
        { ...metricsOptions, labels: { ...labels, ...metricsOptions.labels } },
      );
    },
    onAlert: (listener) => alerts.onAlert(listener),
    idle: () => pending,
    dispose() {
      if (disposed) return;
      disposed = true;
      blocking?.stop();
      for (const dispose of disposers) dispose();
    },
  };
}

function safeReport(app: MonitoredApp): StartupReport | undefined {
  try {
    return app.report();
  } catch {
    return undefined;
  }
}

/** A health result with no checks, for a payload asked for before any health run. */
function healthFromAnalysis(analysis: StartupAnalysis, clock: Clock): HealthResult {
  const status = analysis.status === 'ready' ? 'pass' : analysis.status === 'degraded' ? 'warn' : 'fail';
  return { status, time: new Date(clock.wallNow()).toISOString(), durationMs: 0, cached: false, checks: {} };
}
