import { isStartupError } from '@startup/core';

const programmingErrors = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * The programming error (TypeError, RangeError…) anywhere in `error`, its causes and a failed start's
 * `failures`, or `undefined`. A start may fail; it must not fail because the library tripped over its input.
 */
export function crashIn(error: unknown, seen = new Set<unknown>()): Error | undefined {
  if (typeof error !== 'object' || error === null || seen.has(error)) return undefined;
  seen.add(error);
  if (programmingErrors.some((type) => error instanceof type)) return error as Error;
  if (!isStartupError(error) && !(error instanceof Error)) return undefined;
  const failures = (error as { failures?: unknown }).failures;
  for (const inner of [(error as Error).cause, ...(Array.isArray(failures) ? failures : [])]) {
    const found = crashIn(inner, seen);
    if (found) return found;
  }
  return undefined;
}

/** Settles `promise` or rejects after `ms`: a hang is a failure, not a slow test. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}
