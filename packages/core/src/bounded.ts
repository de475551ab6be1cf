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
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A race, not AbortSignal.any: no signal, listener and weak reference made per call.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(limit.error()), limit.ms);
  });
  return abortable(Promise.race([work, timeout]), signal).finally(() => clearTimeout(timer));
}
