import { StartupError, type StartupReport } from '@startup/core';
import { checkInteger, invalidOption } from '@startup/core/plugin-kit';
import { entryProblem, type ShapeProblem } from './entry-shape.js';
import type { PoolUse } from './pool-advice.js';

/** One start as kept in a history store. */
export interface HistoryEntry {
  /** Wall-clock time it was recorded, ISO 8601. */
  recordedAt: string;
  /** Which service started, when a store is shared by several. */
  service?: string;
  /** Which instance (replica, pod, host) of the service started, when a fleet shares the store. */
  instance?: string;
  /** The experiment arm this start ran under (e.g. `pool-warm-4`), for `startup-monitor compare`. */
  variant?: string;
  /** What the history predicted for this start before it ran (see `predictStart`); milliseconds. */
  prediction?: StartPrediction;
  /**
   * Pool use between this start and the shutdown that followed it, per plugin whose health check reports pool
   * figures; added by `amend` as it grows (a peak, a pool max) and at powers of two of the health runs, absent until the first (or when the store cannot amend).
   */
  pools?: PoolUse[];
  report: StartupReport;
}

/** A start's predicted wall time and per-plugin durations, in milliseconds, as recorded with its entry. */
export interface StartPrediction {
  wallMs: number;
  /** Predicted `durationMs` per plugin that had history. */
  plugins: Record<string, number>;
  /** The starts the prediction was made from. */
  basedOn: number;
}

/**
 * Where starts are kept. The monitor ships a JSON-lines file ({@link jsonlHistory}), a SQL table
 * ({@link sqlHistory}) and a Redis list ({@link redisHistory}); implement it to keep them anywhere else.
 */
export interface HistoryStore {
  /** Adds one entry (the store may drop its oldest to stay within its bound). */
  append(entry: HistoryEntry): Promise<void>;
  /** The newest `limit` entries (all when omitted), oldest first. */
  list(limit?: number): Promise<HistoryEntry[]>;
  /**
   * Replaces the kept entry of the same start (same `recordedAt`, `instance` and `service`) with `entry`: how the
   * monitor adds what it learns after the start (`pools`, as it grows). Resolves without a change when that
   * entry is no longer kept. Optional: without it, entries stay as first appended.
   */
  amend?(entry: HistoryEntry): Promise<void>;
}

/** True when `a` and `b` are entries of the same start: same `recordedAt`, `instance` and `service`. Internal. */
export function sameStart(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.recordedAt === b.recordedAt && a.instance === b.instance && a.service === b.service;
}

/** Something a history store skipped rather than crash on (a corrupt line or row). */
export interface HistoryWarning {
  code: 'STARTUP_WARN_HISTORY_CORRUPT';
  /** Where: a file path and line number, a table, a Redis key. */
  source: string;
  message: string;
}

/**
 * True when `value` is a {@link HistoryEntry} down to each plugin, attempt and step: every field the
 * analysis, the trend and the pictures read has the type they expect (what a store checks before returning
 * an entry, and before appending one).
 */
export function isHistoryEntry(value: unknown): value is HistoryEntry {
  return entryProblem(value) === undefined;
}

/** A stored value, checked: the entry, or why it is skipped (`problem` is absent when it was not JSON). */
export interface CheckedEntry {
  entry?: HistoryEntry;
  problem?: ShapeProblem;
}

/** Checks a stored value (a string is parsed as JSON first). */
export function checkEntry(stored: unknown): CheckedEntry {
  let value = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch {
      return {};
    }
  }
  const problem = entryProblem(value);
  return problem ? { problem } : { entry: withBothChainEnds(value as HistoryEntry) };
}

/**
 * An entry written by an older version holds the chain's end only as `criticalPathMs`; one written after
 * that alias is dropped, only as `criticalPathEndMs`. Either way the listed entry carries both.
 */
function withBothChainEnds(entry: HistoryEntry): HistoryEntry {
  const r: Partial<Pick<StartupReport, 'criticalPathEndMs' | 'criticalPathMs'>> = entry.report;
  r.criticalPathEndMs ??= r.criticalPathMs;
  r.criticalPathMs ??= r.criticalPathEndMs;
  return entry;
}

/**
 * The warning of a stored value skipped at `source`: it names an invalid entry's field, or calls the value
 * `corrupt` (`a corrupt row`…) when it was not JSON; `where` says where it was for the message.
 */
export function skippedWarning(
  checked: CheckedEntry,
  source: string,
  corrupt: string,
  where: string,
): HistoryWarning {
  const { problem } = checked;
  const what = problem ? `an invalid entry (${problem.path} is not ${problem.expected})` : corrupt;
  return {
    code: 'STARTUP_WARN_HISTORY_CORRUPT',
    source,
    message: `Skipped ${what} in start-up history ${where}`,
  };
}

/** The `limit` of a store's `list`: entries wanted, ≥ 0; all of them when undefined. */
export function historyLimit(limit: unknown): number {
  return checkInteger('limit', limit, Number.POSITIVE_INFINITY, { min: 0, allowInfinity: true });
}

/** The default warning sink of the stores: a process warning, so nothing is silently dropped. */
export function emitHistoryWarning(warning: HistoryWarning): void {
  process.emitWarning(warning.message, { code: warning.code });
}

/** The error of an `append` whose entry is not a {@link HistoryEntry}, or undefined when it is one. */
export function invalidHistoryEntry(entry: unknown): StartupError | undefined {
  const problem = entryProblem(entry);
  return problem && invalidOption(problem.path, problem.expected, problem.value);
}

/** `STARTUP_ERR_HISTORY_IO` for a failed read or write of `where` (`file "…"`, `table …`, `list "…"`). */
export function historyIoError(op: string, where: string, cause: unknown): StartupError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StartupError('STARTUP_ERR_HISTORY_IO', `Cannot ${op} start-up history ${where}: ${reason}`, {
    cause,
  });
}
