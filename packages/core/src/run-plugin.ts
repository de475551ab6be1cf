import { sleep } from './clock.js';
import { describeError, StartupError } from './errors.js';
import type { Emitter } from './events.js';
import type { StartupEvents } from './events-map.js';
import type { PluginContext, RuntimeReporter } from './plugin.js';
import { nextDelay } from './retry.js';
import type { Slot } from './slot.js';
import type { RunnerSettings } from './startup-options.js';
import { abortable, scopedController, timeoutError } from './timeout.js';

/** What `runPlugin` needs from the runner. Internal. */
export interface RunContext {
  readonly settings: RunnerSettings;
  readonly events: Emitter<StartupEvents>;
  /** Milliseconds since the start began. */
  elapsed(): number;
  deps(slot: Slot): Record<string, unknown>;
  runtime(slot: Slot): RuntimeReporter;
  /** Closes a resource whose attempt was abandoned (it resolved after its timeout or abort). */
  closeLate(slot: Slot, resource: unknown): void;
}

/**
 * Runs a plugin's `init` with its attempt timeout, retry policy and plugin timeout, under `signal`
 * (the start as a whole). Resolves with the resource; rejects with a {@link StartupError} naming the plugin.
 */
export async function runPlugin(run: RunContext, slot: Slot, signal: AbortSignal): Promise<unknown> {
  const { clock, random } = run.settings;
  const { plugin, settings, report } = slot;
  const scope = scopedController(signal, settings.pluginMs, clock, () =>
    timeoutError('STARTUP_ERR_PLUGIN_TIMEOUT', plugin.name, 'start (all attempts)', settings.pluginMs),
  );
  const pluginSignal = scope.controller.signal;
  const startedAt = clock.now();
  let previousDelay = settings.retry === false ? 0 : settings.retry.initialDelayMs;
  try {
    for (let attempt = 1; ; attempt++) {
      slot.attempt = attempt;
      const record: (typeof report.attempts)[number] = { attempt, startMs: run.elapsed() };
      report.attempts.push(record);
      run.events.emit('plugin:attempt', { plugin: plugin.name, attempt, atMs: record.startMs });
      try {
        const resource = await attemptOnce(run, slot, attempt, pluginSignal);
        record.endMs = run.elapsed();
        return resource;
      } catch (error) {
        record.endMs = run.elapsed();
        record.error = describeError(error);
        if (pluginSignal.aborted) throw pluginSignal.reason;
        const delayMs =
          settings.retry === false
            ? undefined
            : nextDelay(settings.retry, attempt, previousDelay, startedAt, clock, random, error);
        if (delayMs === undefined) {
          throw finalError(
            slot,
            error,
            attempt,
            settings.retry !== false && !settings.retry.retryable(error),
          );
        }
        previousDelay = delayMs;
        record.delayMs = delayMs;
        run.events.emit('plugin:retry', { plugin: plugin.name, attempt, delayMs, error: record.error });
        slot.logger.debug('attempt failed; retrying', { attempt, delayMs, error: record.error.message });
        await sleep(delayMs, pluginSignal, clock);
      }
    }
  } finally {
    scope.dispose();
  }
}

function attemptOnce(run: RunContext, slot: Slot, attempt: number, signal: AbortSignal): Promise<unknown> {
  const { plugin, settings, report } = slot;
  const scope = scopedController(signal, settings.attemptMs, run.settings.clock, () =>
    timeoutError('STARTUP_ERR_ATTEMPT_TIMEOUT', plugin.name, `attempt ${attempt}`, settings.attemptMs),
  );
  const attemptSignal = scope.controller.signal;
  const ctx: PluginContext<Record<string, unknown>> = {
    deps: run.deps(slot),
    signal: attemptSignal,
    logger: slot.logger,
    attempt,
    runtime: run.runtime(slot),
    step: async (name, fn) => {
      const step: (typeof report.steps)[number] = { name, attempt, startMs: run.elapsed() };
      report.steps.push(step);
      try {
        return await fn();
      } catch (error) {
        step.error = describeError(error);
        throw error;
      } finally {
        step.endMs = run.elapsed();
        const event: StartupEvents['plugin:step'] = {
          plugin: plugin.name,
          step: name,
          attempt,
          durationMs: step.endMs - step.startMs,
        };
        if (step.error) event.error = step.error;
        run.events.emit('plugin:step', event);
      }
    },
  };
  const work = new Promise<unknown>((resolve) => resolve(plugin.init(ctx)));
  return abortable(work, attemptSignal, (late) => run.closeLate(slot, late)).finally(scope.dispose);
}

function finalError(slot: Slot, error: unknown, attempts: number, permanent: boolean): StartupError {
  const name = slot.plugin.name;
  const info = describeError(error);
  const code = info.code ? ` [${info.code}]` : '';
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  const why = permanent ? ' (not retryable)' : '';
  return new StartupError(
    'STARTUP_ERR_PLUGIN_FAILED',
    `Plugin "${name}" failed after ${tries}${why}: ${info.message}${code}`,
    {
      plugin: name,
      cause: error,
      retryable: false,
    },
  );
}
