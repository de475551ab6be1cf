import { invalidOption, StartupError, type StartupReport } from '@startup/core';

/** One start as kept in a history store. */
export interface HistoryEntry {
  /** Wall-clock time it was recorded, ISO 8601. */
  recordedAt: string;
  /** Which service (or replica) started, when a store is shared. */
  service?: string;
  report: StartupReport;
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
}

/** Something a history store skipped rather than crash on (a corrupt line or row). */
export interface HistoryWarning {
  code: 'STARTUP_WARN_HISTORY_CORRUPT';
  /** Where: a file path and line number, a table, a Redis key. */
  source: string;
  message: string;
}

/** True when `value` has the shape of a {@link HistoryEntry} (what a store checks before returning it). */
export function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const report = v.report as Record<string, unknown> | null | undefined;
  return (
    typeof v.recordedAt === 'string' &&
    (v.service === undefined || typeof v.service === 'string') &&
    typeof report === 'object' &&
    report !== null &&
    typeof report.wallMs === 'number' &&
    typeof report.status === 'string' &&
    Array.isArray(report.plugins)
  );
}

/** The default warning sink of the stores: a process warning, so nothing is silently dropped. */
export function emitHistoryWarning(warning: HistoryWarning): void {
  process.emitWarning(warning.message, { code: warning.code });
}

/** The error of an `append` whose entry is not a {@link HistoryEntry}, or undefined when it is one. */
export function invalidHistoryEntry(entry: unknown): StartupError | undefined {
  return isHistoryEntry(entry)
    ? undefined
    : invalidOption('entry', 'a history entry { recordedAt, report }', entry);
}

/** `STARTUP_ERR_HISTORY_IO` for a failed read or write of `where` (`file "…"`, `table …`, `list "…"`). */
export function historyIoError(op: string, where: string, cause: unknown): StartupError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StartupError('STARTUP_ERR_HISTORY_IO', `Cannot ${op} start-up history ${where}: ${reason}`, {
    cause,
  });
}
