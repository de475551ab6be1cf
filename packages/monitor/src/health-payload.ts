import type {
  BreakerState,
  HealthResult,
  HealthStatus,
  PluginStatus,
  StartupReport,
  StartupStatus,
} from '@startup/core';
import { analyze, type StartupAnalysis } from './analyze.js';
import type { GradeThresholds } from './grade.js';
import type { StartEstimate } from './predict.js';
import { type Recommendation, recommend } from './recommend.js';
import type { ResponseTimeSummary } from './response-times.js';
import type { SloReport } from './slo.js';
import type { TrendResult } from './trend.js';

/** The media type of a {@link HealthPayload}. */
export const healthContentType = 'application/health+json';

/** One entry of `checks` (draft-inadarei-api-health-check). */
export interface HealthCheckEntry {
  componentId?: string;
  componentType?: string;
  observedValue?: string | number | boolean | null;
  observedUnit?: string;
  status: HealthStatus;
  /** ISO 8601. */
  time?: string;
  /** Why it is not passing. */
  output?: string;
}

/** One plugin in {@link StartupSummary.services}. Milliseconds. */
export interface ServiceSummary {
  status: HealthStatus;
  optional: boolean;
  responseTimeMs: number;
  breaker: BreakerState;
  /** How its start went, when a report was given. */
  startStatus?: PluginStatus;
  /** Its start-up duration. */
  durationMs?: number;
  attempts?: number;
}

/**
 * How the last start compares with its fleet baseline: the median of the service's recent completed starts
 * across all instances (see `trend`). Milliseconds and percent.
 */
export interface BaselineSummary {
  /** The instance whose start is compared, when it recorded one. */
  instance?: string;
  wallMs: number;
  /** Absent until a completed start precedes it. */
  baselineMs?: number;
  /** Completed starts the baseline is the median of. */
  baselineSize: number;
  /** The instances whose starts make the baseline, sorted. */
  baselineInstances: string[];
  changePercent?: number;
  regression: boolean;
  /** The threshold, in percent. */
  regressionPercent: number;
  /** Plugins more than `regressionPercent` over their own fleet baseline. */
  regressedPlugins: string[];
}

/** The `startup` extension member of a {@link HealthPayload}. Milliseconds; efficiencies are ratios. */
export interface StartupSummary {
  /** Which instance of the service answers, when known. */
  instance?: string;
  status?: StartupStatus;
  startedAt?: string;
  wallMs?: number;
  grade?: string;
  label?: string;
  efficiency?: number;
  bestEfficiency?: number;
  criticalPath?: string[];
  services: Record<string, ServiceSummary>;
  recommendations: Recommendation[];
  /** Rolling figures of the health runs themselves. */
  healthChecks?: ResponseTimeSummary;
  /** Start-up objectives over the recent starts of the service (see `startupSlo`), when given. */
  slo?: SloReport;
  /** While the start runs: where it is heading, from the history (see `startPredictor`). */
  estimate?: StartEstimate;
  /** The last start against the fleet baseline, when a history is kept. */
  baseline?: BaselineSummary;
}

/** An `application/health+json` body (draft-inadarei-api-health-check) plus a `startup` extension member. */
export interface HealthPayload {
  status: HealthStatus;
  version?: string;
  releaseId?: string;
  serviceId?: string;
  description?: string;
  /** Why the service is not passing; omitted when it passes. */
  output?: string;
  /** Keyed `component:measurement`, e.g. `postgres:responseTime`. */
  checks: Record<string, HealthCheckEntry[]>;
  startup: StartupSummary;
}

/** Options of {@link healthPayload}. */
export interface HealthPayloadOptions {
  serviceId?: string;
  version?: string;
  releaseId?: string;
  description?: string;
  /** `componentType` per plugin (`datastore`, `component`, `system`…). Defaults to `component`. */
  componentTypes?: Readonly<Record<string, string>>;
  /** Rolling response times of the health runs, from {@link responseTimes}. */
  responseTimes?: ResponseTimeSummary;
  /** Grade thresholds, when the analysis is computed here from `report`. Defaults to the origin grades. */
  grades?: GradeThresholds;
  /** Average health-run time above which `health:responseTime` warns, in milliseconds. Defaults to 200 (the spec's default). */
  slowHealthMs?: number;
  /** Start-up objectives to include as `startup.slo`, from `startupSlo`. Defaults to none. */
  slo?: SloReport;
  /** The estimate of a running start to include as `startup.estimate` (only while it is `starting`). Defaults to none. */
  estimate?: StartEstimate;
  /** Resource advice (from `poolAdvice`) appended to `startup.recommendations`. Defaults to none. */
  advice?: readonly Recommendation[];
  /** The instance answering, as `startup.instance`. Defaults to none. */
  instance?: string;
  /** The trend of the last start (from `trend`), summarised as `startup.baseline`. Defaults to none. */
  trend?: TrendResult;
}

const startStatus: Record<StartupStatus, HealthStatus> = {
  ready: 'pass',
  degraded: 'warn',
  starting: 'warn',
  failed: 'fail',
  aborted: 'fail',
};

/**
 * Turns core's health result (and the last start-up report and its analysis) into the `/health` body:
 * `status`, `checks` keyed `component:measurement` with `observedValue`/`observedUnit`/`time`, and a
 * `startup` member with per-service status, timing and breaker state, grade, efficiency and recommendations.
 * Serve it with content type {@link healthContentType}. It carries only what core gives, already redacted.
 * @example reply.type(healthContentType).send(healthPayload(await app.health(), app.report()))
 */
export function healthPayload(
  health: HealthResult,
  report?: StartupReport,
  analysis?: StartupAnalysis,
  options: HealthPayloadOptions = {},
): HealthPayload {
  const a =
    analysis ?? (report ? analyze(report, options.grades ? { grades: options.grades } : {}) : undefined);
  const checks: Record<string, HealthCheckEntry[]> = {};
  const services: Record<string, ServiceSummary> = {};
  const problems: string[] = [];
  for (const [name, check] of Object.entries(health.checks)) {
    const componentType = options.componentTypes?.[name] ?? 'component';
    const entry: HealthCheckEntry = {
      componentId: name,
      componentType,
      observedValue: check.responseTimeMs,
      observedUnit: 'ms',
      status: check.status,
      time: check.time,
    };
    if (check.error) entry.output = check.error.message;
    checks[`${name}:responseTime`] = [entry];
    for (const [key, value] of Object.entries(check.details ?? {})) {
      checks[`${name}:${key}`] = [
        { componentId: name, componentType, observedValue: value, status: check.status, time: check.time },
      ];
    }
    if (check.status !== 'pass') problems.push(`${name}: ${check.error?.message ?? check.status}`);
    const service: ServiceSummary = {
      status: check.status,
      optional: check.optional,
      responseTimeMs: check.responseTimeMs,
      breaker: check.breaker.state,
    };
    const started = a?.plugins.find((p) => p.name === name);
    if (started) {
      service.startStatus = started.status;
      service.durationMs = started.durationMs;
      service.attempts = started.attempts;
    }
    services[name] = service;
  }
  if (a) {
    checks['startup:duration'] = [
      {
        componentId: 'startup',
        componentType: 'system',
        observedValue: a.wallMs,
        observedUnit: 'ms',
        status: startStatus[a.status],
        time: a.startedAt,
      },
    ];
  }
  const rt = options.responseTimes;
  if (rt?.avgMs !== undefined) {
    const slow = options.slowHealthMs ?? 200;
    checks['health:responseTime'] = [
      {
        componentId: 'health',
        componentType: 'system',
        observedValue: rt.avgMs,
        observedUnit: 'ms',
        status: rt.avgMs > slow ? 'warn' : 'pass',
        time: health.time,
      },
    ];
  }
  const startup: StartupSummary = a
    ? {
        status: a.status,
        startedAt: a.startedAt,
        wallMs: a.wallMs,
        grade: a.grade.grade,
        label: a.grade.label,
        efficiency: a.efficiency,
        bestEfficiency: a.bestEfficiency,
        criticalPath: a.criticalPath,
        services,
        recommendations: [...recommend(a), ...(options.advice ?? [])],
      }
    : { services, recommendations: [...(options.advice ?? [])] };
  if (rt) startup.healthChecks = rt;
  if (options.trend?.latest) startup.baseline = baselineSummary(options.trend);
  if (options.slo) startup.slo = options.slo;
  if (options.estimate && (a === undefined || a.status === 'starting')) startup.estimate = options.estimate;
  const body: HealthPayload = {
    status: health.status,
    checks,
    startup: options.instance === undefined ? startup : { instance: options.instance, ...startup },
  };
  for (const key of ['version', 'releaseId', 'serviceId', 'description'] as const) {
    if (options[key] !== undefined) body[key] = options[key];
  }
  if (health.status !== 'pass' && problems.length > 0) body.output = problems.join('; ');
  return orderKeys(body);
}

function baselineSummary(t: TrendResult): BaselineSummary {
  const summary: BaselineSummary = {
    wallMs: t.latest!.wallMs,
    baselineSize: t.baselineSize,
    baselineInstances: t.baselineInstances,
    regression: t.regression,
    regressionPercent: t.regressionPercent,
    regressedPlugins: t.plugins.filter((p) => p.regression).map((p) => p.plugin),
  };
  if (t.latest!.instance !== undefined) summary.instance = t.latest!.instance;
  if (t.baselineMs !== undefined) summary.baselineMs = t.baselineMs;
  if (t.changePercent !== undefined) summary.changePercent = t.changePercent;
  return summary;
}

// The draft lists `status` first; keep the extension member last for readers of raw JSON.
function orderKeys(body: HealthPayload): HealthPayload {
  const { status, version, releaseId, serviceId, description, output, checks, startup } = body;
  return Object.fromEntries(
    Object.entries({ status, version, releaseId, serviceId, description, output, checks, startup }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as unknown as HealthPayload;
}
