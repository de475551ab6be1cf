import { type ErrorInfo, type PluginReport, type PluginStatus, settledAt } from '@startup/core';

/** One `ctx.step()` of a plugin, timed. */
export interface StepTiming {
  name: string;
  attempt: number;
  /** In milliseconds. */
  durationMs: number;
  failed: boolean;
}

/** Where one plugin's time went. Every figure is in milliseconds. */
export interface PluginBreakdown {
  name: string;
  status: PluginStatus;
  dependsOn: string[];
  optional: boolean;
  /** When `init` could begin (its dependencies ready), since the start began; absent if it never began. */
  startMs?: number;
  /** When it became ready, failed, was skipped or aborted (or now, while it runs). */
  endMs?: number;
  /** Time spent waiting for dependencies: `depsReadyMs − queuedMs`. */
  waitMs: number;
  /** The dependency that became ready last, i.e. the one this plugin actually waited for. */
  waitedOn?: string;
  /** Its own work: time spent inside `init` attempts, failed ones included. */
  ownMs: number;
  /** From `init` beginning to the end: own work plus backoff. */
  durationMs: number;
  attempts: number;
  /** `attempts − 1` (0 when it never ran). */
  retries: number;
  /** Sum of the backoff waits between attempts. */
  backoffMs: number;
  /** Time spent in attempts that failed. */
  failedAttemptMs: number;
  /** Attempts that ended with `STARTUP_ERR_ATTEMPT_TIMEOUT`. */
  timeouts: number;
  /**
   * Attempts that failed on their own: every failed attempt but one cut short by what ended the plugin (an
   * abort, the deadline, another plugin's failure), with or without an error code.
   */
  ownFailures: number;
  /** Distinct error codes of the failed attempts (e.g. `ECONNREFUSED`), in order of first appearance; errors without a code are not listed. */
  errorCodes: string[];
  steps: StepTiming[];
  /** The longest step, if it recorded any. */
  slowestStep?: StepTiming;
  /** Event-loop blocking attributed to it, when blocking figures were given to {@link analyze}. */
  blockedMs?: number;
  /** True when it is on the chain that decided the wall time. */
  onCriticalPath: boolean;
  /**
   * The final error of a failed or aborted plugin (from the report). For a plugin cut short by another's
   * failure, its `plugin` names the one that failed.
   */
  error?: ErrorInfo;
}

/** Where one plugin's time went, from its report. `blocked` holds event-loop blocking per plugin, if measured. */
export function breakdown(
  p: PluginReport,
  byName: Map<string, PluginReport>,
  wallMs: number,
  onCriticalPath: boolean,
  blocked: Readonly<Record<string, number>> | undefined,
): PluginBreakdown {
  const end = settledAt(p, wallMs);
  let ownMs = 0;
  let backoffMs = 0;
  let failedAttemptMs = 0;
  let timeouts = 0;
  let ownFailures = 0;
  const errorCodes: string[] = [];
  for (const a of p.attempts) {
    const ms = Math.max(0, (a.endMs ?? end ?? wallMs) - a.startMs);
    ownMs += ms;
    backoffMs += a.delayMs ?? 0;
    if (a.error) {
      failedAttemptMs += ms;
      if (a.error.code === 'STARTUP_ERR_ATTEMPT_TIMEOUT') timeouts++;
      if (a.error.code !== p.error?.code || a.error.message !== p.error?.message) ownFailures++;
      const code = a.error.code;
      if (code !== undefined && !errorCodes.includes(code)) errorCodes.push(code);
    }
  }
  const steps: StepTiming[] = p.steps.map((s) => ({
    name: s.name,
    attempt: s.attempt,
    durationMs: Math.max(0, (s.endMs ?? end ?? wallMs) - s.startMs),
    failed: s.error !== undefined,
  }));
  const slowestStep = steps.reduce<StepTiming | undefined>(
    (max, s) => (max === undefined || s.durationMs > max.durationMs ? s : max),
    undefined,
  );
  const started = p.depsReadyMs;
  const waitMs = Math.max(0, (started ?? end ?? wallMs) - p.queuedMs);
  const durationMs = p.durationMs ?? (started !== undefined ? Math.max(0, (end ?? wallMs) - started) : 0);
  const result: PluginBreakdown = {
    name: p.name,
    status: p.status,
    dependsOn: [...p.dependsOn],
    optional: p.optional,
    waitMs,
    ownMs,
    durationMs,
    attempts: p.attempts.length,
    retries: Math.max(0, p.attempts.length - 1),
    backoffMs,
    failedAttemptMs,
    timeouts,
    ownFailures,
    errorCodes,
    steps,
    onCriticalPath,
  };
  if (started !== undefined) result.startMs = started;
  if (end !== undefined) result.endMs = end;
  const waitedOn = latestDependency(p, byName, wallMs);
  if (waitedOn !== undefined && waitMs > 0) result.waitedOn = waitedOn;
  if (slowestStep) result.slowestStep = slowestStep;
  if (blocked) result.blockedMs = blocked[p.name] ?? 0;
  if (p.error) result.error = p.error;
  return result;
}

function latestDependency(
  p: PluginReport,
  byName: Map<string, PluginReport>,
  wallMs: number,
): string | undefined {
  let best: string | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const name of p.dependsOn) {
    const dep = byName.get(name);
    const at = dep === undefined ? undefined : settledAt(dep, wallMs);
    if (at !== undefined && at > bestAt) {
      best = name;
      bestAt = at;
    }
  }
  return best;
}

/**
 * Whether a failed or aborted plugin is to blame: it failed, or it was aborted while its own attempts were
 * failing or while it still ran at the deadline. One aborted before it began, cut short by another
 * plugin's failure or by an outside abort (with no failure of its own) is not.
 */
export function atFault(p: PluginBreakdown): boolean {
  if (p.status === 'failed') return true;
  if (p.status !== 'aborted' || p.attempts === 0) return false;
  const ownFailures = p.ownFailures > 0;
  const culprit = p.error?.plugin;
  if (culprit !== undefined && culprit !== p.name) return ownFailures;
  if (p.error?.code === 'STARTUP_ERR_ABORTED') return ownFailures;
  return true;
}
