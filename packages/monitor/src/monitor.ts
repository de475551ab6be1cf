import { hostname } from 'node:os';
import {
  type BreakerState,
  type Clock,
  type Disposer,
  type HealthResult,
  type StartupReport,
  systemClock,
} from '@startup/core';
import { checkInteger, checkString } from '@startup/core/plugin-kit';
import { type Alert, type AlertOptions, createAlerts } from './alerts.js';
import { analyze, type StartupAnalysis } from './analyze.js';
import { type BlockingMonitor, type BlockingOptions, monitorBlocking } from './blocking.js';
import type { StartupEventSource } from './event-source.js';
import { checkGradeThresholds, type GradeThresholds, originGrades } from './grade.js';
import { type HealthPayload, type HealthPayloadOptions, healthPayload } from './health-payload.js';
import type { HistoryEntry, HistoryStore } from './history-store.js';
import { traceStartup } from './otel.js';
import {
  type PoolAdviceOptions,
  type PoolSample,
  poolAdvice,
  poolHistoryAdvice,
  poolSamples,
} from './pool-advice.js';
import { poolRecord } from './pool-record.js';
import { type StartEstimate, type StartPredictor, startPredictor } from './predict.js';
import { type PrometheusOptions, prometheusMetrics } from './prometheus.js';
import { type Recommendation, type RecommendOptions, recommend } from './recommend.js';
import { responseTimes } from './response-times.js';
import { checkSloOptions, type SloOptions, type SloReport, startupSlo } from './slo.js';
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
  /**
   * Which instance (replica, pod) of the service this is: recorded with each start, named on alerts and in the
   * health payload. The trend compares this instance's start with the service's recent completed starts across
   * all instances (the fleet baseline). Defaults to `process.env.HOSTNAME`, else `os.hostname()`.
   */
  instance?: string;
  /**
   * The experiment arm of this instance, recorded with each start for `startup-monitor compare` (e.g. from
   * `process.env.STARTUP_VARIANT`). Defaults to none.
   */
  variant?: string;
  /** Completed starts the trend's baseline is made of. Defaults to 10. */
  baselineWindow?: number;
  /** Alert thresholds. Default to half of the `D` grade bound (alert) and the `D` bound (critical): 30 s and 60 s with the origin grades. */
  alerts?: Pick<AlertOptions, 'alertMs' | 'criticalMs'>;
  /** Event-loop blocking attribution during the start (see {@link monitorBlocking}). Defaults to true. */
  blocking?: boolean | BlockingOptions;
  /** OpenTelemetry spans of each start when `@opentelemetry/api` is installed. Defaults to true. */
  tracing?: boolean;
  recommend?: RecommendOptions;
  /**
   * Start-up objectives measured over the history after each start (see `startupSlo`); a breach raises an
   * `slo-breach` alert, and the result is in the health payload and the metrics. `service` defaults to the
   * monitor's. `false` turns them off. Defaults to p95 ≤ 20 s and < 1 % failed over the last 50 starts.
   */
  slo?: SloOptions | false;
  /** Resource advice from the pool figures the health checks report (see `poolAdvice`). */
  poolAdvice?: PoolAdviceOptions;
  /** Health runs kept for the rolling response-time figures and the pool advice. Defaults to 100. */
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
  /** The start-up objectives after the last finished start, once its history was read. */
  slo(): SloReport | undefined;
  /**
   * While the app starts: its expected end from the history's per-plugin times, checked against the slow-start
   * alert threshold; `undefined` before the history was read, without a completed start in it, or once finished.
   */
  estimate(): StartEstimate | undefined;
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
  const variant = checkString('variant', options.variant, undefined);
  const instance = checkString('instance', options.instance, undefined) ?? defaultInstance();
  const sloOptions =
    options.slo === false
      ? undefined
      : checkSloOptions({
          ...(options.service === undefined ? {} : { service: options.service }),
          ...options.slo,
        });
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
    instance,
    ...(options.service === undefined ? {} : { service: options.service }),
  });
  const windowSize = checkInteger('responseTimeWindow', options.responseTimeWindow, 100);
  const window = responseTimes({ size: windowSize });
  // Pool figures of the last `windowSize` health runs, one list per run.
  const poolRuns: PoolSample[][] = [];
  // Over the history's last 50 runs (their pool use, recorded at each shutdown), when it has enough of them; a
  // plugin advised from the history is not advised again from this run's health checks alone.
  let historyAdvice: Recommendation[] = [];
  const advice = () => {
    const advised = new Set(historyAdvice.map((r) => r.plugin));
    return [
      ...historyAdvice,
      ...poolAdvice(poolRuns.flat(), options.poolAdvice).filter((r) => !advised.has(r.plugin)),
    ];
  };
  const pools = options.history ? poolRecord(options.history) : undefined;
  const breakers: Record<string, BreakerState> = {};
  let lastReport: StartupReport | undefined;
  let lastAnalysis: StartupAnalysis | undefined;
  let lastTrend: TrendResult | undefined;
  let lastSlo: SloReport | undefined;
  let predictor: StartPredictor | undefined;
  let atRiskReported = false;
  const alertMs = options.alerts?.alertMs ?? grades.D / 2;
  const learn = (entries: readonly HistoryEntry[]) => {
    predictor = startPredictor(entries, options.service === undefined ? {} : { service: options.service });
  };
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
        const entry: HistoryEntry = {
          recordedAt: new Date(clock.wallNow()).toISOString(),
          instance,
          report,
        };
        if (variant !== undefined) entry.variant = variant;
        // What the history said before this start, kept beside what it took.
        if (predictor) entry.prediction = predictor.predict(report);
        const appended = options.service === undefined ? entry : { ...entry, service: options.service };
        await options.history.append(appended);
        pools?.started(appended);
        const entries = await options.history.list();
        // The last 50 runs that recorded their pool use (this one records its own at its shutdown).
        const measured = entries.filter(
          (e) => e.pools !== undefined && (options.service === undefined || e.service === options.service),
        );
        const advised = poolHistoryAdvice(measured.slice(-50), options.poolAdvice);
        t = trend(entries, {
          baselineWindow,
          instance,
          ...(options.service === undefined ? {} : { service: options.service }),
        });
        // Only with a new trend: the probes reuse a /health body while trend() returns the same object.
        historyAdvice = advised;
        if (sloOptions) lastSlo = startupSlo(entries, sloOptions);
        learn(entries);
      } catch (error) {
        onError(error);
      }
    }
    lastTrend = t;
    if (t) alerts.checkRegression(analysis, t);
    // An aborted start (a stop asked for) counts in neither objective: the breach, if any, was raised already.
    if (lastSlo && analysis.status !== 'aborted') alerts.checkSlo(lastSlo);
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

  // `atOnce`: the start just ended, and its failure and slowness are alerted now, before anything awaits: a
  // shutdown that cut the start short logs them before it completes, and a slow history store delays nothing.
  // Only the regression (and the objectives) wait for the history. A start that ended before the monitor was
  // created is alerted on the queue, once its creator could subscribe.
  const finish = (report: StartupReport, atOnce: boolean) => {
    if (disposed) return;
    const blockedMs = blocking?.stop().perPlugin;
    lastReport = report;
    lastAnalysis = analyze(report, { grades, ...(blockedMs ? { blockedMs } : {}) });
    const analysis = lastAnalysis;
    if (atOnce) alerts.checkStart(analysis);
    pending = pending.then(() => {
      if (!atOnce) alerts.checkStart(analysis);
      return afterStart(report, analysis);
    });
  };

  const disposers: Disposer[] = [
    app.on('startup:ready', ({ report }) => finish(report, true)),
    app.on('startup:failed', ({ report }) => finish(report, true)),
    // A start that the history says will end late is reported while it runs, once.
    ...(['plugin:start', 'plugin:retry', 'plugin:ready'] as const).map((event) =>
      app.on(event, () => {
        if (atRiskReported) return;
        const estimate = monitor.estimate();
        if (!estimate?.onCourseToExceed) return;
        atRiskReported = true;
        alerts.startAtRisk(estimate);
      }),
    ),
    // The run's pool use goes with its start's entry, amended as it grows (see PoolRecord): at the shutdown the
    // application's pool may already be closing, so that last write is only a best effort, and only for a peak.
    app.on('shutdown:start', () => {
      if (!pools) return;
      pending = pending.then(() => pools.flush(true).catch(onError));
    }),
    app.on('breaker:state', (event) => {
      breakers[event.plugin] = event.to;
      alerts.breakerChanged(event);
    }),
    app.on('health', ({ result }) => {
      lastHealth = result;
      window.record(result.durationMs);
      poolRuns.push(poolSamples(result));
      if (poolRuns.length > windowSize) poolRuns.shift();
      if (pools?.health(result)) pending = pending.then(() => pools.flush().catch(onError));
      for (const [name, check] of Object.entries(result.checks)) breakers[name] = check.breaker.state;
      alerts.healthChecked(result);
    }),
  ];
  if (options.history && !alreadyFinished) {
    const history = options.history;
    pending = history.list().then(learn, onError);
  }
  if (alreadyFinished) finish(current, false);

  const analysisNow = (): StartupAnalysis => lastAnalysis ?? analyze(app.report(), { grades });

  const monitor: Monitor = {
    analysis: analysisNow,
    trend: () => lastTrend,
    slo: () => lastSlo,
    estimate() {
      const report = safeReport(app);
      if (!predictor || report?.status !== 'starting') return undefined;
      return predictor.estimate(report, report.wallMs, alertMs);
    },
    recommendations: () => [...recommend(analysisNow(), options.recommend), ...advice()],
    healthPayload(health = lastHealth, payloadOptions = {}) {
      const analysis = analysisNow();
      const estimate = monitor.estimate();
      const result = health ?? healthFromAnalysis(analysis, clock);
      return healthPayload(result, lastReport, analysis, {
        responseTimes: window.summary(),
        ...(options.service === undefined ? {} : { serviceId: options.service }),
        instance,
        ...(lastTrend ? { trend: lastTrend } : {}),
        ...(lastSlo ? { slo: lastSlo } : {}),
        ...(estimate ? { estimate } : {}),
        advice: advice(),
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
          ...(lastSlo ? { slo: lastSlo } : {}),
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
  return monitor;
}

/** The instance name when none is given: the pod name in Kubernetes, the host name elsewhere. */
function defaultInstance(): string {
  return process.env.HOSTNAME?.trim() || hostname();
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
