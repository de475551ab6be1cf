import { type PluginContext, type ResourceContext, silentLogger } from '@startup/core';

/** A step as the hand-made context recorded it. */
export interface RecordedStep {
  name: string;
  ok: boolean;
  error?: unknown;
}

/** What the hand-made context saw: steps in order and runtime reports (`down` with its error, `up`). */
export interface ContextRecord {
  steps: RecordedStep[];
  runtime: Array<{ kind: 'down'; error: unknown } | { kind: 'up' }>;
}

/**
 * A `PluginContext` made by hand, as core's runner would make it, that records steps and runtime
 * reports, for calling a plugin's `init` without the runner.
 */
export function pluginContext(
  options: { signal?: AbortSignal; attempt?: number; record?: ContextRecord } = {},
): { ctx: PluginContext; record: ContextRecord } {
  const record = options.record ?? { steps: [], runtime: [] };
  const ctx: PluginContext = {
    deps: {},
    signal: options.signal ?? new AbortController().signal,
    logger: silentLogger,
    attempt: options.attempt ?? 1,
    async step(name, fn) {
      try {
        const value = await fn();
        record.steps.push({ name, ok: true });
        return value;
      } catch (error) {
        record.steps.push({ name, ok: false, error });
        throw error;
      }
    },
    runtime: {
      down: (error) => record.runtime.push({ kind: 'down', error }),
      up: () => record.runtime.push({ kind: 'up' }),
    },
  };
  return { ctx, record };
}

/** A `ResourceContext` for `close` and `healthCheck`, aborting after `ms` milliseconds. */
export function resourceContext(ms = 2_000): ResourceContext {
  return { signal: AbortSignal.timeout(ms), logger: silentLogger };
}
