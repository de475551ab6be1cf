import { checkNumber, invalidOption } from '@startup/core/plugin-kit';
import type { StartupAnalysis } from './analyze.js';
import { formatMs, formatPercent } from './format.js';
import { atFault, type PluginBreakdown } from './plugin-breakdown.js';
import { printable } from './printable.js';

/** The spec's severities. */
export type Severity = 'CRITICAL' | 'WARNING' | 'EFFICIENCY' | 'EXCELLENT';

/** What a recommendation is about; stable, for filtering and tests. */
export type RecommendationCode =
  | 'start-critical'
  | 'start-failed'
  | 'optional-failed'
  | 'attempt-timeouts'
  | 'retries'
  | 'slow-step'
  | 'blocking-init'
  | 'serialising-dependency'
  | 'low-efficiency'
  | 'start-excellent'
  | 'pool-waiting'
  | 'pool-oversized';

/** One finding with a concrete action. */
export interface Recommendation {
  severity: Severity;
  code: RecommendationCode;
  /** The plugin it is about, when there is one. */
  plugin?: string;
  /** What was seen, with figures. */
  message: string;
  /** What to do about it, naming the plugin. */
  action: string;
}

/** Options of {@link recommend}. Durations scale with the analysis's grade thresholds. */
export interface RecommendOptions {
  /** Efficiency below this share of the best the graph allows is "far below". Defaults to 0.75. */
  efficiencyRatio?: number;
  /** Least duration worth a recommendation, in milliseconds. Defaults to the grade's `A` bound ÷ 10 (1.5 s with the origin grades, 15 ms with the loopback ones). */
  minMs?: number;
}

const order: Severity[] = ['CRITICAL', 'WARNING', 'EFFICIENCY', 'EXCELLENT'];

/**
 * Recommendations for a start, most severe first: CRITICAL (at or over the grade's `D` bound, 60 s by
 * default; a failed start), WARNING (timeouts, retries, a slow step such as a pool warm-up), EFFICIENCY
 * (blocking init, a dependency edge that serialises work, efficiency far below what the graph allows) and
 * EXCELLENT (under the grade's `A` bound, 15 s by default).
 * @example for (const r of recommend(analyze(report))) console.log(r.severity, r.message, '→', r.action);
 */
export function recommend(analysis: StartupAnalysis, options: RecommendOptions = {}): Recommendation[] {
  if (typeof analysis !== 'object' || analysis === null || !Array.isArray(analysis.plugins)) {
    throw invalidOption('analysis', 'a StartupAnalysis from analyze()', analysis);
  }
  const { thresholds, wallMs } = analysis;
  const ratio = checkNumber('efficiencyRatio', options.efficiencyRatio, 0.75, { min: 0, max: 1 });
  const minMs = checkNumber('minMs', options.minMs, thresholds.A / 10, { min: 0 });
  const out: Recommendation[] = [];
  const top = analysis.bottlenecks[0];

  if (wallMs >= thresholds.D) {
    out.push({
      severity: 'CRITICAL',
      code: 'start-critical',
      ...(top ? { plugin: top.plugin } : {}),
      message: `Start took ${formatMs(wallMs)} (grade ${analysis.grade.grade}; critical from ${formatMs(thresholds.D)})`,
      action: top
        ? `Start with "${top.plugin}" (${formatMs(top.ownMs)} of own work on the critical path): check its queries, connection pool settings and network path`
        : 'Check database queries, connection pool settings and the network between the services',
    });
  }
  for (const p of analysis.plugins) {
    if (atFault(p)) out.push(failed(p, analysis.plugins));
    if (p.timeouts > 0) out.push(timeouts(p));
    if (p.retries > 0 && p.status === 'ready') out.push(retries(p));
    const step = p.slowestStep;
    if (p.onCriticalPath && step && step.durationMs >= Math.max(minMs, wallMs * 0.25))
      out.push(slowStep(p, wallMs));
    if ((p.blockedMs ?? 0) >= minMs && (p.blockedMs ?? 0) > 0) out.push(blocking(p));
    if (p.onCriticalPath && p.waitedOn && p.waitMs >= Math.max(minMs, wallMs * 0.2) && p.ownMs >= minMs) {
      out.push(serialising(p));
    }
  }
  if (analysis.efficiency < analysis.bestEfficiency * ratio && analysis.slackMs >= minMs) {
    out.push({
      severity: 'EFFICIENCY',
      code: 'low-efficiency',
      message: `Parallel efficiency ${formatPercent(analysis.efficiency)} is far below the ${formatPercent(analysis.bestEfficiency)} this dependency graph allows (${formatMs(analysis.slackMs)} outside the critical path)`,
      action:
        'Look for blocking operations in initialization and for work done before or around app.start() that holds the event loop',
    });
  }
  if (wallMs < thresholds.A && analysis.status === 'ready') {
    out.push({
      severity: 'EXCELLENT',
      code: 'start-excellent',
      message: `Start took ${formatMs(wallMs)} (grade A, under ${formatMs(thresholds.A)}): infrastructure optimal`,
      action: 'Nothing to change; keep recording history to catch regressions',
    });
  }
  // Names and error codes come from plugins and servers: no control character reaches a terminal.
  return out
    .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))
    .map((r) => ({ ...r, message: printable(r.message), action: printable(r.action) }));
}

function failed(p: PluginBreakdown, plugins: readonly PluginBreakdown[]): Recommendation {
  const codes = p.errorCodes.length > 0 ? ` [${p.errorCodes.join(', ')}]` : '';
  const tries = p.attempts === 1 ? '1 attempt' : `${p.attempts} attempts`;
  // The plugins that did not start because of this one are named here, not blamed on their own.
  const innocent = plugins.filter((q) => q.status === 'aborted' && !atFault(q));
  const cut = innocent.filter((q) => q.attempts > 0 && q.error?.plugin === p.name).map((q) => q.name);
  const waiting = innocent
    .filter((q) => q.attempts === 0 && dependsOn(q, p.name, plugins))
    .map((q) => q.name);
  const effects = [
    ...(cut.length > 0 ? [`${quoted(cut)} ${cut.length === 1 ? 'was' : 'were'} cut short by it`] : []),
    ...(waiting.length > 0 ? [`${quoted(waiting)} (waiting on it) never started`] : []),
  ];
  return {
    severity: p.optional ? 'WARNING' : 'CRITICAL',
    code: p.optional ? 'optional-failed' : 'start-failed',
    plugin: p.name,
    message: `"${p.name}" ${p.status === 'aborted' ? 'was aborted' : 'failed'} after ${tries}${codes}${p.optional ? '; the service started degraded' : ''}${effects.map((e) => `; ${e}`).join('')}`,
    action: `Check that the service behind "${p.name}" is reachable with the configured address and credentials before the app starts`,
  };
}

/** Whether `p` depends on the plugin `name`, directly or through other plugins. */
function dependsOn(p: PluginBreakdown, name: string, plugins: readonly PluginBreakdown[]): boolean {
  const seen = new Set<string>();
  const pending = [...p.dependsOn];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next === name) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(plugins.find((q) => q.name === next)?.dependsOn ?? []));
  }
  return false;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function quoted(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length === 1 ? q[0]! : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

function timeouts(p: PluginBreakdown): Recommendation {
  return {
    severity: 'WARNING',
    code: 'attempt-timeouts',
    plugin: p.name,
    message: `"${p.name}" had ${p.timeouts} attempt timeout${p.timeouts === 1 ? '' : 's'}`,
    action: `Review the connection pool and network of "${p.name}"; if the service is merely slow to accept, raise its timeouts.attemptMs`,
  };
}

function retries(p: PluginBreakdown): Recommendation {
  const oneService = p.retries >= 2 && p.errorCodes.length <= 1;
  return {
    severity: 'WARNING',
    code: 'retries',
    plugin: p.name,
    message: `"${p.name}" needed ${p.attempts} attempts (${formatMs(p.backoffMs)} of backoff, ${formatMs(p.failedAttemptMs)} in failed attempts${p.errorCodes.length > 0 ? `; ${p.errorCodes.join(', ')}` : ''})`,
    action: oneService
      ? `Repeated ${p.errorCodes[0] ?? 'failures'} against the same service: start it before the app (e.g. a compose healthcheck with depends_on: condition: service_healthy) so "${p.name}" connects on the first attempt`
      : `Find why the first attempt of "${p.name}" fails; every retry adds its backoff to the start`,
  };
}

function slowStep(p: PluginBreakdown, wallMs: number): Recommendation {
  const step = p.slowestStep!;
  const warmUp = /warm/i.test(step.name);
  const share = wallMs > 0 ? ` (${formatPercent(step.durationMs / wallMs)} of the start)` : '';
  return {
    severity: 'WARNING',
    code: 'slow-step',
    plugin: p.name,
    message: `Step "${step.name}" of "${p.name}" took ${formatMs(step.durationMs)}${share}`,
    action: warmUp
      ? `Slow pool warm-up: open fewer connections in "${p.name}" at start (a lower pool minimum) and let the pool grow on demand, or warm it after readiness`
      : `Make step "${step.name}" of "${p.name}" lazy or run it after readiness`,
  };
}

function blocking(p: PluginBreakdown): Recommendation {
  return {
    severity: 'EFFICIENCY',
    code: 'blocking-init',
    plugin: p.name,
    message: `"${p.name}" blocked the event loop for ${formatMs(p.blockedMs ?? 0)} while starting; nothing else could progress meanwhile`,
    action: `Move synchronous work out of the init of "${p.name}" (…Sync file calls, hashing, big JSON.parse): make it async or run it in a worker thread`,
  };
}

function serialising(p: PluginBreakdown): Recommendation {
  const saving = Math.min(p.waitMs, p.durationMs);
  return {
    severity: 'EFFICIENCY',
    code: 'serialising-dependency',
    plugin: p.name,
    message: `"${p.name}" waited ${formatMs(p.waitMs)} for "${p.waitedOn}" before its own ${formatMs(p.ownMs)} of work, on the critical path`,
    action: `If "${p.name}" does not need the resource of "${p.waitedOn}" during init, drop "${p.waitedOn}" from its dependsOn (take it lazily) so both start together: up to ${formatMs(saving)} saved`,
  };
}
