import type { BreakerState, HealthResult, StartupReport } from '@startup/core';
import { invalidOption } from '@startup/core/plugin-kit';
import { analyze, type StartupAnalysis } from './analyze.js';
import type { ResponseTimeSummary } from './response-times.js';
import type { SloReport } from './slo.js';

/** What {@link prometheusMetrics} exposes; every member is optional. */
export interface MetricsInput {
  /** The last start-up report (analysed here unless `analysis` is given). */
  report?: StartupReport;
  analysis?: StartupAnalysis;
  /** The last health result: per-plugin check latency, status and breaker state. */
  health?: HealthResult;
  /** Breaker states newer than `health` (from 'breaker:state' events), by plugin. */
  breakers?: Readonly<Record<string, BreakerState>>;
  /** Rolling figures of the health runs. */
  healthRuns?: ResponseTimeSummary;
  /** Start-up objectives over the recent starts (from `startupSlo`). */
  slo?: SloReport;
}

/** Options of {@link prometheusMetrics}. */
export interface PrometheusOptions {
  /** Prefix of every metric name. Defaults to `startup_`. */
  prefix?: string;
  /** Labels added to every series, e.g. `{ service: 'api' }`. */
  labels?: Readonly<Record<string, string>>;
}

/** Content type of the text exposition format. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

/** Breaker states as the `breaker_state` gauge encodes them. */
export const breakerStateValue: Readonly<Record<BreakerState, number>> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

type Series = [labels: Record<string, string>, value: number];

/**
 * Prometheus text exposition (version 0.0.4) of the last start and health: start-up duration and
 * efficiency, per-plugin duration, wait, backoff and attempts, breaker state (0 closed, 1 half-open,
 * 2 open) and health-check latency. Durations are in seconds, as Prometheus expects.
 * @example reply.type(prometheusContentType).send(prometheusMetrics({ report: app.report(), health }))
 */
export function prometheusMetrics(input: MetricsInput, options: PrometheusOptions = {}): string {
  const prefix = options.prefix ?? 'startup_';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw invalidOption('prefix', 'a metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)', prefix);
  }
  const constant = options.labels ?? {};
  for (const name of Object.keys(constant)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) {
      throw invalidOption(`labels.${name}`, 'a label name ([a-zA-Z_][a-zA-Z0-9_]*)', name);
    }
  }
  const out: string[] = [];
  const family = (name: string, help: string, series: Series[]) => {
    if (series.length === 0) return;
    out.push(`# HELP ${prefix}${name} ${escapeHelp(help)}`, `# TYPE ${prefix}${name} gauge`);
    for (const [labels, value] of series)
      out.push(`${prefix}${name}${formatLabels({ ...constant, ...labels })} ${formatValue(value)}`);
  };
  const a = input.analysis ?? (input.report ? analyze(input.report) : undefined);
  if (a) {
    family('duration_seconds', 'Wall time of the last start-up.', [[{}, seconds(a.wallMs)]]);
    family('info', 'The last start-up: its status and grade.', [
      [{ status: a.status, grade: a.grade.grade }, 1],
    ]);
    family('parallel_efficiency_ratio', 'Summed plugin time divided by wall time of the last start.', [
      [{}, round(a.efficiency, 1e4)],
    ]);
    family(
      'best_parallel_efficiency_ratio',
      'Summed plugin time divided by the critical path: the best the graph allows.',
      [[{}, round(a.bestEfficiency, 1e4)]],
    );
    const per = (pick: (p: StartupAnalysis['plugins'][number]) => number): Series[] =>
      a.plugins.map((p) => [{ plugin: p.name }, pick(p)]);
    family(
      'plugin_duration_seconds',
      'Time from init beginning to ready or failed, per plugin, backoff included.',
      per((p) => seconds(p.durationMs)),
    );
    family(
      'plugin_wait_seconds',
      'Time a plugin waited for its dependencies.',
      per((p) => seconds(p.waitMs)),
    );
    family(
      'plugin_backoff_seconds',
      'Time a plugin spent in backoff between attempts.',
      per((p) => seconds(p.backoffMs)),
    );
    family(
      'plugin_attempts',
      'Init attempts a plugin made in the last start.',
      per((p) => p.attempts),
    );
    family(
      'plugin_ready',
      '1 when the plugin started, else 0.',
      per((p) => (p.status === 'ready' ? 1 : 0)),
    );
  }
  const breakers: Record<string, BreakerState> = {};
  for (const [name, check] of Object.entries(input.health?.checks ?? {}))
    breakers[name] = check.breaker.state;
  Object.assign(breakers, input.breakers);
  family(
    'breaker_state',
    'Circuit breaker state per plugin: 0 closed, 1 half-open, 2 open.',
    Object.entries(breakers).map(([plugin, state]) => [{ plugin }, breakerStateValue[state]]),
  );
  const checks = Object.entries(input.health?.checks ?? {});
  family(
    'health_check_duration_seconds',
    'Latency of the last health check per plugin.',
    checks.map(([plugin, c]) => [{ plugin }, seconds(c.responseTimeMs)]),
  );
  family(
    'health_check_up',
    '1 when the last health check of the plugin passed, else 0.',
    checks.map(([plugin, c]) => [{ plugin }, c.status === 'pass' ? 1 : 0]),
  );
  const runs = input.healthRuns;
  if (runs?.avgMs !== undefined) {
    family('health_run_duration_avg_seconds', 'Average duration of the recent health runs.', [
      [{}, seconds(runs.avgMs)],
    ]);
    family('health_run_duration_p95_seconds', '95th percentile duration of the recent health runs.', [
      [{}, seconds(runs.p95Ms ?? 0)],
    ]);
  }
  const slo = input.slo;
  if (slo) {
    const o = { objective: 'start-time' };
    const f = { objective: 'failure-rate' };
    if (slo.startTime.actual !== undefined) {
      family('slo_start_seconds', `p${slo.percentile} wall time of the completed starts in the SLO window.`, [
        [{ percentile: String(slo.percentile) }, seconds(slo.startTime.actual)],
      ]);
    }
    if (slo.failureRate.actual !== undefined) {
      family('slo_failure_ratio', 'Failed starts divided by finished starts in the SLO window.', [
        [{}, round(slo.failureRate.actual, 1e6)],
      ]);
    }
    family(
      'slo_target',
      'Target of each start-up objective: seconds for start-time, a ratio for failure-rate.',
      [
        [o, seconds(slo.startTime.target)],
        [f, slo.failureRate.target],
      ],
    );
    family('slo_met', '1 when the start-up objective holds over the SLO window, else 0.', [
      [o, slo.startTime.met ? 1 : 0],
      [f, slo.failureRate.met ? 1 : 0],
    ]);
    family('slo_window_starts', 'Starts in the SLO window.', [[{}, slo.window.starts]]);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Milliseconds to seconds, to the microsecond (beyond it is floating-point noise). */
function seconds(ms: number): number {
  return round(ms / 1_000, 1e6);
}

function round(value: number, scale: number): number {
  return Number.isFinite(value) ? Math.round(value * scale) / scale : value;
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0
    ? ''
    : `{${entries.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
