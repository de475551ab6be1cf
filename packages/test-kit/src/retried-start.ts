import { type AnyPlugin, type ResourceOf, retry } from '@startup/core';
import { type ContextRecord, pluginContext } from './plugin-context.js';

/** How long a {@link retriedStart} keeps trying: `maxElapsedMs` (milliseconds) and/or `maxAttempts`. */
export interface RetryBudget {
  /** Defaults to 3000 when `maxAttempts` is not given either. */
  maxElapsedMs?: number;
  maxAttempts?: number;
}

/** A start under way: its outcome and how many attempts it made so far. */
export interface RetriedStart<Resource> {
  started: Promise<Resource>;
  attempts(): number;
}

/**
 * Starts `plugin` as core's runner would, without it: `init` attempts with a short backoff (20–50 ms) within
 * `budget`, each with a hand-made context recorded in `record`. For connector fault tests that watch a client
 * retry through a fault proxy.
 */
export function retriedStart<P extends AnyPlugin>(
  plugin: P,
  record: ContextRecord,
  budget: RetryBudget = { maxElapsedMs: 3_000 },
): RetriedStart<ResourceOf<P>> {
  let attempts = 0;
  const started = retry(
    ({ signal, attempt }) => {
      attempts = attempt;
      return plugin.init(pluginContext({ signal, attempt, record }).ctx) as Promise<ResourceOf<P>>;
    },
    { initialDelayMs: 20, maxDelayMs: 50, ...budget },
  );
  return { started, attempts: () => attempts };
}
