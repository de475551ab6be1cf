import { abortable } from './timeout.js';

/** A time limit for {@link bounded}: after `ms` milliseconds it rejects with `error()`. */
export interface Limit {
  ms: number;
  error: () => unknown;
}

/**
 * Core's `abortable` plus an optional time limit: settles like `work`, unless `signal` aborts first or `limit`
 * runs out (rejects with `limit.error()`). The timer never outlives the call.
 */
export function bounded<T>(work: Promise<T>, signal: AbortSignal, limit?: Limit): Promise<T> {
  if (limit === undefined) return abortable(work, signal);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(limit.error()), limit.ms);
  return abortable(work, AbortSignal.any([signal, timeout.signal])).finally(() => clearTimeout(timer));
}
