import { describeError, type ErrorInfo, permanentError, type StartupError } from './errors.js';
import type { AttemptReport, PluginReport, StepReport } from './report.js';
import { nextDelay } from './retry.js';
import { closeResource } from './shutdown.js';
import { type Run, resourcesOf, type Slot } from './slot.js';
import { boundedCall, timeoutError } from './timeout.js';

/**
 * Runs a plugin's `init` until it resolves: each attempt bounded by its timeout, retried with backoff, all of it
 * bounded by the plugin timeout. `slot.abort` cancels it meanwhile. Resolves with the resource; rejects with a
 * StartupError naming the plugin, or with the abort reason.
 */
export async function runPlugin(run: Run, slot: Slot): Promise<unknown> {
  const { clock, random } = run.settings;
  const { plugin, report, settings, logger, runtime } = slot;
  const { retry, pluginMs } = settings;
  let stopped: StartupError | undefined;
  // What an abort cancels: the attempt in progress, or the backoff wait.
  let cancel = (_reason: StartupError) => {};
  slot.abort = (reason) => {
    stopped ??= reason;
    cancel(reason);
  };
  const timer = Number.isFinite(pluginMs)
    ? clock.setTimeout(() => {
        const timedOut = timeoutError(slot, 'pluginMs');
        timedOut.message += `; ${lastFailure(report, timedOut)}`;
        slot.abort?.(timedOut);
      }, pluginMs)
    : undefined;
  const deps = resourcesOf(slot.deps);
  const startedAt = clock.now();
  let delayMs = retry ? retry.initialDelayMs : 0;
  try {
    for (let attempt = 1; ; attempt++) {
      if (stopped) throw stopped;
      let free: (() => void) | undefined;
      let failure: unknown;
      const waitBegan = run.elapsed();
      if (settings.bulkhead) {
        const waiting = new AbortController();
        cancel = (reason) => waiting.abort(reason);
        try {
          free = await settings.bulkhead.acquire(waiting.signal);
        } catch (error) {
          // Cancelled: the loop sees why in `stopped`. The queue is full (`failure` set, a StartupError): an
          // attempt that failed at once, retried like any other.
          failure = error;
        }
        if (stopped) {
          free?.();
          throw stopped;
        }
      }
      const record: AttemptReport = { attempt, startMs: run.elapsed() };
      if (settings.bulkhead) record.waitedMs = record.startMs - waitBegan;
      report.attempts.push(record);
      run.events.emit('plugin:attempt', { plugin: plugin.name, attempt, atMs: record.startMs });
      // A listener may have stopped the start.
      if (stopped || failure) {
        free?.();
        record.endMs = record.startMs;
        if (stopped) throw stopped;
      } else {
        const step = <T>(name: string, fn: () => Promise<T> | T) => runStep(run, slot, attempt, name, fn);
        let lateClose: Promise<StartupError | undefined> | undefined;
        const call = boundedCall(
          slot,
          'attemptMs',
          clock,
          (ctx) => plugin.init(Object.assign(ctx, { deps, logger, attempt, runtime, step })),
          (late) => {
            logger.warn('closing the resource of an abandoned init attempt');
            lateClose = closeResource(run, slot, late);
          },
        );
        cancel = call.abort;
        try {
          return await call.promise;
        } catch (error) {
          failure = error;
          const abandoned = { settled: call.finished, done: false, lateClose: () => lateClose };
          slot.abandoned.add(abandoned);
          void call.finished
            .then(() => {
              abandoned.done = true;
              return lateClose;
            })
            .then(() => slot.abandoned.delete(abandoned));
        } finally {
          free?.();
          record.endMs = run.elapsed();
        }
      }
      record.error = describeError(failure);
      if (stopped) throw stopped;
      const permanent = retry && !retry.retryable(failure);
      const next =
        retry && !permanent ? nextDelay(retry, attempt, delayMs, startedAt, clock, random) : undefined;
      if (next === undefined) throw finalError(plugin.name, failure, record.error, attempt, permanent);
      delayMs = record.delayMs = next;
      run.events.emit('plugin:retry', { plugin: plugin.name, attempt, delayMs, error: record.error });
      logger.debug('attempt failed; retrying', { attempt, delayMs, error: record.error.message });
      if (stopped) throw stopped;
      await new Promise<void>((resolve, reject) => {
        const wait = clock.setTimeout(resolve, delayMs);
        cancel = (reason) => {
          clock.clearTimeout(wait);
          reject(reason);
        };
      });
    }
  } finally {
    slot.abort = undefined;
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}

/** `ctx.step()`: times `fn` as a named sub-step of the attempt, in the report and a `plugin:step` event. */
async function runStep<T>(
  run: Run,
  slot: Slot,
  attempt: number,
  name: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  const step: StepReport = { name: String(name), attempt, startMs: run.elapsed() };
  slot.report.steps.push(step);
  try {
    return await fn();
  } catch (error) {
    step.error = describeError(error);
    throw error;
  } finally {
    step.endMs = run.elapsed();
    run.events.emit('plugin:step', {
      plugin: slot.plugin.name,
      step: step.name,
      attempt,
      durationMs: step.endMs - step.startMs,
      ...(step.error && { error: step.error }),
    });
  }
}

/**
 * Why the plugin's attempts failed so far, for an error that cuts them short (`stop`): its last attempt that
 * failed on its own, redacted (`attempt 3 failed: connect ECONNREFUSED 127.0.0.1:6379 [ECONNREFUSED]`).
 */
export function lastFailure(report: PluginReport, stop: StartupError): string {
  const { attempts } = report;
  // An attempt cut short by `stop` itself says nothing new.
  const failed = attempts.findLast(({ error }) => error !== undefined && error.code !== stop.code);
  if (failed) return `attempt ${failed.attempt} failed: ${withCode(failed.error!)}`;
  const running = attempts.length;
  return running === 0 ? 'no attempt had begun' : `attempt ${running} was still running, none had failed`;
}

function finalError(
  plugin: string,
  error: unknown,
  info: ErrorInfo,
  attempts: number,
  permanent: boolean,
): StartupError {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  const why = permanent ? ' (not retryable)' : '';
  return permanentError(
    'STARTUP_ERR_PLUGIN_FAILED',
    `Plugin "${plugin}" failed after ${tries}${why}: ${withCode(info)}`,
    plugin,
    error,
  );
}

/** An error's message with its code, if any: `connect ECONNREFUSED 127.0.0.1:6379 [ECONNREFUSED]`. */
function withCode({ message, code }: ErrorInfo): string {
  return code ? `${message} [${code}]` : message;
}
