import type { ErrorInfo } from './errors.js';

/** How a plugin's start ended (or where it is, while the start runs). */
export type PluginStatus = 'pending' | 'starting' | 'ready' | 'failed' | 'skipped' | 'aborted';

/** How the start as a whole ended (or `starting` while it runs). */
export type StartupStatus = 'starting' | 'ready' | 'degraded' | 'failed' | 'aborted';

/** One `init` attempt. Times are milliseconds since the start began (monotonic, sub-millisecond). */
export interface AttemptReport {
  /** 1 for the first attempt. */
  attempt: number;
  startMs: number;
  endMs?: number;
  /** Why the attempt failed; absent when it succeeded or still runs. */
  error?: ErrorInfo;
  /** The backoff wait that followed this failed attempt, in milliseconds. */
  delayMs?: number;
  /** How long the attempt waited for a place in the plugin's bulkhead before `startMs`, in milliseconds; absent without one. */
  waitedMs?: number;
}

/** A named sub-step recorded with `ctx.step()`. */
export interface StepReport {
  name: string;
  /** The attempt it belongs to. */
  attempt: number;
  startMs: number;
  endMs?: number;
  error?: ErrorInfo;
}

/** One plugin in a {@link StartupReport}. Times are milliseconds since the start began. */
export interface PluginReport {
  name: string;
  dependsOn: string[];
  optional: boolean;
  status: PluginStatus;
  /** When the runner took the plugin in: 0 for all of them. */
  queuedMs: number;
  /** When its last dependency became ready and `init` could begin. */
  depsReadyMs?: number;
  /** When `init` finally resolved. */
  readyMs?: number;
  /** When it failed, was skipped or aborted. */
  endMs?: number;
  /** readyMs (or endMs) − depsReadyMs: the plugin's own time, its retries and backoff included. */
  durationMs?: number;
  attempts: AttemptReport[];
  steps: StepReport[];
  /** The final error of a failed or aborted plugin. */
  error?: ErrorInfo;
  /** Why a skipped plugin was skipped (the failed optional dependency). */
  skippedBecause?: string;
}

/**
 * A serialisable record of one start: the input of `@startup/monitor`.
 * Plain data (JSON round-trips it); every time is in milliseconds.
 */
export interface StartupReport {
  /** Shape version of this object. */
  version: 1;
  status: StartupStatus;
  /** Wall-clock time the start began, ISO 8601. */
  startedAt: string;
  /** From the start to the last plugin settling (or now, while running). */
  wallMs: number;
  /** Sum of every plugin's `durationMs`: what a sequential start would have taken, roughly. */
  sumMs: number;
  /** Names of the chain of plugins that decided the wall time, first to last (see `criticalPath()`). */
  criticalPath: string[];
  /**
   * When the last plugin of {@link criticalPath} settled (became ready or ended; now, while it still
   * starts), in milliseconds since the start began: a point in time, not the chain's summed work. 0 when
   * no plugin began.
   */
  criticalPathEndMs: number;
  /**
   * The same value as {@link criticalPathEndMs}, under its old name; kept for one minor version.
   * @deprecated Use `criticalPathEndMs` (when the chain ended). `@startup/monitor`'s
   * `StartupAnalysis.criticalPathWorkMs` is the chain's summed durations.
   */
  criticalPathMs: number;
  /** In the order they were given. */
  plugins: PluginReport[];
  /** The error that failed or aborted the start. */
  error?: ErrorInfo;
}
