import { keepAlive } from './clock.js';
import { describeError, permanentError, StartupError, StartupFailedError } from './errors.js';
import { lastFailure, runPlugin } from './run-plugin.js';
import { closeSlots } from './shutdown.js';
import type { Run, Slot } from './slot.js';

/** One start in progress. Internal. */
export interface StartInProgress {
  /** Resolves once every plugin is ready or skipped; rejects with a StartupFailedError after the rollback. */
  readonly done: Promise<void>;
  /** Fails the start with `error` (if it is still running): aborts what runs, closes what started. */
  fail(error: StartupError): void;
  /** The errors of the rollback's closes, once `done` has rejected. */
  readonly closeErrors: StartupError[];
  /** Launches the plugins with no dependencies (a listener may call `fail()` from then on). */
  begin(): void;
  /** True once the start has failed (its rollback may still be running). */
  readonly failing: boolean;
}

/**
 * Launches each plugin the moment its last dependency is ready (O(V + E) in all) and skips the dependents of a
 * failed optional plugin. A required failure, the deadline, the outside signal or `fail()` abort the plugins
 * still running, then close the started ones in reverse dependency order.
 */
export function startPlugins(run: Run): StartInProgress {
  const { slots, events, elapsed, settings } = run;
  const { clock, signal: outside, deadlineMs } = settings;
  const failures: StartupError[] = [];
  let running = 0;
  let settled = 0;
  let failing: StartupError | undefined;
  // Set once: the start resolved, or its rollback began. Event listeners may call fail() at any point.
  let over = false;
  const closeErrors: StartupError[] = [];
  let resolve!: () => void;
  let reject!: (error: StartupFailedError) => void;
  const done = new Promise<void>((ok, ko) => {
    resolve = ok;
    reject = ko;
  });

  const launch = (slot: Slot) => {
    const { report } = slot;
    report.status = 'starting';
    report.depsReadyMs = elapsed();
    events.emit('plugin:start', { plugin: report.name, atMs: report.depsReadyMs });
    if (failing) {
      report.status = 'aborted';
      report.endMs = report.depsReadyMs;
      return;
    }
    running++;
    runPlugin(run, slot).then(
      (resource) => settle(slot, undefined, resource),
      (thrown) =>
        settle(
          slot,
          thrown instanceof StartupError
            ? thrown
            : permanentError('STARTUP_ERR_PLUGIN_FAILED', describeError(thrown).message, report.name, thrown),
        ),
    );
  };

  // A plugin's init resolved (no `error`) or failed for good. Failing already, the plugin was cut short; a
  // listener of its event may also fail the start.
  const settle = (slot: Slot, error: StartupError | undefined, resource?: unknown) => {
    const { report } = slot;
    running--;
    const now = elapsed();
    report.durationMs = now - report.depsReadyMs!;
    if (error) {
      report.endMs = now;
      report.error = describeError(error);
      report.status = failing ? 'aborted' : 'failed';
    } else {
      slot.started = true;
      slot.resource = resource;
      report.status = 'ready';
      report.readyMs = now;
    }
    if (!failing) {
      const { attempts, optional, name } = report;
      if (error)
        events.emit('plugin:failed', {
          plugin: name,
          attempts: attempts.length,
          error: report.error!,
          optional,
        });
      else
        events.emit('plugin:ready', {
          plugin: name,
          attempts: attempts.length,
          durationMs: report.durationMs,
        });
      if (!failing) {
        if (!error) {
          for (const next of slot.dependents) if (--next.waitingOn === 0 && !failing) launch(next);
        } else if (!optional) return fail(error);
        else skipDependents(slot, `dependency "${name}" failed`);
        settled++;
        return finish();
      }
    }
    if (error) failures.push(error === failing ? abortedPluginError(slot, failing) : error);
    rollBack();
  };

  // Breadth first, nearest dependents first, from a queue: recursion overflowed the stack on a chain of ten
  // thousand optional plugins, and the start never settled.
  const skipDependents = (failed: Slot, reason: string) => {
    const queue = [failed];
    for (const slot of queue) {
      for (const next of slot.dependents) {
        const { report } = next;
        if (report.status !== 'pending') continue;
        report.status = 'skipped';
        report.skippedBecause = reason;
        report.endMs = elapsed();
        settled++;
        events.emit('plugin:skipped', { plugin: report.name, reason });
        queue.push(next);
      }
    }
  };

  const fail = (error: StartupError) => {
    if (failing || over) return;
    failing = error;
    failures.unshift(error);
    for (const slot of slots) slot.abort?.(error);
    rollBack();
  };

  const rollBack = () => {
    // Only a failing start rolls back, and a start that resolved never fails: `over` means the rollback began.
    if (running > 0 || over) return;
    over = true;
    stopWatching();
    const now = elapsed();
    for (const { report } of slots) {
      if (report.status !== 'pending') continue;
      report.status = 'aborted';
      report.endMs = now;
    }
    void closeSlots(run).then((errors) => {
      closeErrors.push(...errors);
      const { code } = failing!;
      const outcome =
        code === 'STARTUP_ERR_DEADLINE' || code === 'STARTUP_ERR_ABORTED' ? code : 'STARTUP_ERR_FAILED';
      const what = outcome === 'STARTUP_ERR_ABORTED' ? 'aborted' : 'failed';
      const message = `Start-up ${what}; everything started was closed`;
      reject(new StartupFailedError(outcome, message, [...failures, ...errors]));
    });
  };

  const finish = () => {
    if (failing || settled < slots.length) return;
    over = true;
    stopWatching();
    resolve();
  };

  // Every timer the start waits on is unref'd: keepAlive holds the process until the start is over.
  const release = keepAlive();
  const onOutsideAbort = () => fail(abortedError(outside!.reason));
  const deadline = Number.isFinite(deadlineMs)
    ? clock.setTimeout(() => fail(deadlineError(run)), deadlineMs)
    : undefined;
  const stopWatching = () => {
    release();
    if (deadline !== undefined) clock.clearTimeout(deadline);
    outside?.removeEventListener('abort', onOutsideAbort);
  };
  if (outside?.aborted) onOutsideAbort();
  else outside?.addEventListener('abort', onOutsideAbort);

  const begin = () => {
    finish();
    for (const slot of slots) if (slot.waitingOn === 0 && !failing) launch(slot);
  };
  return {
    done,
    fail,
    closeErrors,
    begin,
    get failing() {
      return failing !== undefined;
    },
  };
}

/** `STARTUP_ERR_ABORTED` for the start as a whole, with the outside reason. */
export function abortedError(reason: unknown): StartupError {
  const why = describeError(reason ?? 'signal aborted').message;
  return permanentError('STARTUP_ERR_ABORTED', `Start-up aborted: ${why}`, undefined, reason);
}

/** A plugin cut short by the failure of the start, with what its attempts ran into. */
function abortedPluginError(slot: Slot, because: StartupError): StartupError {
  const { name } = slot.report;
  return permanentError(
    'STARTUP_ERR_ABORTED',
    `Plugin "${name}" was aborted: ${because.code}; ${lastFailure(slot.report, because)}`,
    name,
    because,
  );
}

/** Names every plugin still running, how long it has run, and those still waiting. */
function deadlineError(run: Run): StartupError {
  const now = run.elapsed();
  const running: string[] = [];
  const waiting: string[] = [];
  for (const {
    report: { name, status, depsReadyMs = 0, attempts },
  } of run.slots) {
    if (status === 'starting')
      running.push(`${name} (running ${Math.round(now - depsReadyMs)} ms, attempt ${attempts.length})`);
    if (status === 'pending') waiting.push(name);
  }
  const detail = `still running: ${running.join(', ') || 'none'}${waiting.length ? `; waiting: ${waiting.join(', ')}` : ''}`;
  return permanentError(
    'STARTUP_ERR_DEADLINE',
    `Start-up deadline of ${run.settings.deadlineMs} ms passed; ${detail}`,
  );
}
