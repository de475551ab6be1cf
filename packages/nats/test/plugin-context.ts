import { type PluginContext, type ResourceContext, type StartupError, silentLogger } from '@startup/core';

/** A runtime report the plugin made through `ctx.runtime`. */
export type RuntimeEvent = { type: 'down'; error: StartupError } | { type: 'up' };

/** A step recorded through `ctx.step`. */
export interface RecordedStep {
  name: string;
  ms: number;
  error?: unknown;
}

/**
 * A hand-made `PluginContext`, as core's runner would pass it: records steps and runtime reports, and
 * lets a test abort the attempt.
 */
export function pluginContext(attempt = 1) {
  const controller = new AbortController();
  const steps: RecordedStep[] = [];
  const runtime: RuntimeEvent[] = [];
  const waiters: Array<() => void> = [];
  const ctx: PluginContext<{}> = {
    deps: {},
    signal: controller.signal,
    logger: silentLogger,
    attempt,
    async step(name, fn) {
      const started = performance.now();
      try {
        const value = await fn();
        steps.push({ name, ms: performance.now() - started });
        return value;
      } catch (error) {
        steps.push({ name, ms: performance.now() - started, error });
        throw error;
      }
    },
    runtime: {
      down(error) {
        runtime.push({ type: 'down', error: error as StartupError });
        for (const wake of waiters.splice(0)) wake();
      },
      up() {
        runtime.push({ type: 'up' });
        for (const wake of waiters.splice(0)) wake();
      },
    },
  };
  /** Resolves once `runtime` holds an event of `type` (after the first `count - 1`). */
  const nextRuntime = async (type: RuntimeEvent['type'], count = 1): Promise<void> => {
    while (runtime.filter((e) => e.type === type).length < count) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { ctx, controller, steps, runtime, nextRuntime };
}

/** A `ResourceContext` for `close` and `healthCheck`, aborted after `ms` milliseconds. */
export function resourceContext(ms = 2_000): ResourceContext {
  return { signal: AbortSignal.timeout(ms), logger: silentLogger };
}
