import { type PluginContext, type ResourceContext, silentLogger } from '@startup/core';
import { eventually } from './eventually.js';
import { recordingLogger } from './recording-logger.js';

/** A step run through `ctx.step`, recorded once it settled: `ok` false with the `error` it threw. */
export interface RecordedStep {
  name: string;
  ok: boolean;
  error?: unknown;
}

/** A runtime report the plugin made through `ctx.runtime`: `down` with its error, or `up`. */
export type RuntimeReport = { type: 'down'; error: unknown } | { type: 'up' };

/** What hand-made contexts saw, in order: steps, runtime reports and log lines (as text). */
export interface ContextRecord {
  steps: RecordedStep[];
  runtime: RuntimeReport[];
  logs: string[];
}

/** Options of {@link pluginContext}. */
export interface PluginContextOptions {
  /** The attempt's signal; defaults to one that never aborts. */
  signal?: AbortSignal;
  /** The attempt number, from 1; defaults to 1. */
  attempt?: number;
  /** Where to record; pass the same record to the contexts of several attempts. Defaults to a new one. */
  record?: ContextRecord;
}

/** An empty {@link ContextRecord}, to share between the contexts of several attempts. */
export function contextRecord(): ContextRecord {
  return { steps: [], runtime: [], logs: [] };
}

/**
 * A `PluginContext` made by hand, as core's runner would pass it, for calling a plugin's `init`
 * without the runner. `nextRuntime(type, count)` resolves once the record holds `count` (defaults to 1)
 * runtime reports of `type`, and rejects after `withinMs` (milliseconds, defaults to 5000).
 */
export function pluginContext(options: PluginContextOptions = {}): {
  ctx: PluginContext;
  record: ContextRecord;
  nextRuntime(type: RuntimeReport['type'], count?: number, withinMs?: number): Promise<void>;
} {
  const record = options.record ?? contextRecord();
  const ctx: PluginContext = {
    deps: {},
    signal: options.signal ?? new AbortController().signal,
    logger: recordingLogger(record.logs),
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
      down: (error) => record.runtime.push({ type: 'down', error }),
      up: () => record.runtime.push({ type: 'up' }),
    },
  };
  const nextRuntime = (type: RuntimeReport['type'], count = 1, withinMs = 5_000) =>
    eventually(() => record.runtime.filter((report) => report.type === type).length >= count, withinMs);
  return { ctx, record, nextRuntime };
}

/** A `ResourceContext` for `close` and `healthCheck`, aborting after `ms` milliseconds (defaults to 2000). */
export function resourceContext(ms = 2_000): ResourceContext {
  return { signal: AbortSignal.timeout(ms), logger: silentLogger };
}
