import type { AttemptReport, ErrorInfo, PluginReport, StartupReport } from '@startup/core';

/**
 * What a stretch of a plugin's bar shows:
 * - `waiting`: queued until its dependencies were ready;
 * - `failed`: an `init` attempt that failed (or was aborted);
 * - `backoff`: the retry delay after a failed attempt;
 * - `success`: the attempt that made the plugin ready;
 * - `running`: an attempt still running (a report taken during the start).
 */
export type SegmentKind = 'waiting' | 'failed' | 'backoff' | 'success' | 'running';

/** One stretch of a plugin's bar. Times are milliseconds since the start began. */
export interface TimelineSegment {
  kind: SegmentKind;
  startMs: number;
  endMs: number;
  /** The attempt it belongs to (the attempt a backoff follows); absent for `waiting`. */
  attempt?: number;
  /** Why a `failed` attempt failed. */
  error?: ErrorInfo;
}

/**
 * The segments of a plugin's bar, in time order. Open-ended stretches (a report taken while the
 * start runs) end at `nowMs`, which defaults to the report's `wallMs`.
 */
export function pluginTimeline(plugin: PluginReport, nowMs: number): TimelineSegment[] {
  const segments: TimelineSegment[] = [];
  const first = plugin.attempts[0];
  // Until the first attempt, not the last dependency: the bar must not show a gap for scheduling.
  const waitEnd = first?.startMs ?? plugin.depsReadyMs ?? plugin.endMs ?? nowMs;
  if (plugin.dependsOn.length > 0 && waitEnd > plugin.queuedMs) {
    segments.push({ kind: 'waiting', startMs: plugin.queuedMs, endMs: waitEnd });
  }
  plugin.attempts.forEach((attempt, index) => {
    const next = plugin.attempts[index + 1];
    const endMs = attempt.endMs ?? (plugin.status === 'starting' ? nowMs : (plugin.endMs ?? nowMs));
    const kind = attemptKind(plugin, attempt, next === undefined);
    const segment: TimelineSegment = {
      kind,
      startMs: attempt.startMs,
      endMs: Math.max(endMs, attempt.startMs),
    };
    segment.attempt = attempt.attempt;
    const error = attempt.error ?? (kind === 'failed' && next === undefined ? plugin.error : undefined);
    if (error) segment.error = error;
    segments.push(segment);
    if (kind !== 'failed') return;
    const backoffEnd = next?.startMs ?? backoffUntil(plugin, attempt.delayMs, endMs, nowMs);
    if (backoffEnd > endMs) {
      segments.push({ kind: 'backoff', startMs: endMs, endMs: backoffEnd, attempt: attempt.attempt });
    }
  });
  return segments;
}

function attemptKind(plugin: PluginReport, attempt: AttemptReport, last: boolean): SegmentKind {
  if (attempt.error !== undefined || !last) return 'failed';
  if (plugin.status === 'ready') return 'success';
  if (plugin.status === 'starting' || plugin.status === 'pending') return 'running';
  return 'failed';
}

// The backoff after the last failed attempt: until the next attempt would start, cut short when the
// plugin ended (gave up, aborted) or when the report was taken.
function backoffUntil(
  plugin: PluginReport,
  delayMs: number | undefined,
  fromMs: number,
  nowMs: number,
): number {
  if (delayMs === undefined || delayMs <= 0) return fromMs;
  const limit = plugin.status === 'starting' ? nowMs : (plugin.endMs ?? nowMs);
  return Math.min(fromMs + delayMs, limit);
}

/** The end of the picture: the wall time, or the latest end of any segment when that is later. */
export function timelineEnd(report: StartupReport): number {
  let end = Number.isFinite(report.wallMs) ? report.wallMs : 0;
  for (const plugin of report.plugins) {
    for (const segment of pluginTimeline(plugin, report.wallMs)) end = Math.max(end, segment.endMs);
    for (const step of plugin.steps) end = Math.max(end, step.endMs ?? step.startMs);
  }
  return end;
}

/** A plugin's own time: its `durationMs`, or from its dependencies being ready to its end (or `nowMs`). */
export function pluginDuration(plugin: PluginReport, nowMs: number): number | undefined {
  if (plugin.durationMs !== undefined) return plugin.durationMs;
  if (plugin.status === 'skipped' || plugin.status === 'pending') return undefined;
  const start = plugin.depsReadyMs ?? plugin.attempts[0]?.startMs;
  if (start === undefined) return undefined;
  return Math.max(0, (plugin.readyMs ?? plugin.endMs ?? nowMs) - start);
}
