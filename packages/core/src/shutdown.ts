import { keepAlive } from './clock.js';
import { describeError, StartupError } from './errors.js';
import type { AbandonedAttempt, Run, Slot } from './slot.js';
import { type BoundedCall, boundedCall } from './timeout.js';

/**
 * Closes every started plugin in reverse dependency order: a plugin closes once all its started dependents
 * have closed, independent plugins in parallel. A plugin's attempts cut short are waited for as part of its
 * close (each up to its close timeout, then what one resolved late is closed), so nothing they opened outlives
 * the returned promise and nothing they use closes under them. Each close is bounded by its timeout;
 * `run.force` aborting ends every wait and close at once. Never throws: returns the errors, one per close (or
 * abandoned attempt) that did not end well.
 */
export async function closeSlots(run: Run): Promise<StartupError[]> {
  const { slots, events, force, closing } = run;
  const { clock } = run.settings;
  const errors: StartupError[] = [];
  const onForce = () => {
    for (const call of closing) call.abort(force.reason);
  };
  // The attempts to wait for, as they are now: which plugins close must not change while closing.
  const waits = slots.map((slot) => [...slot.abandoned]);
  const closes = (slot: Slot) => slot.started || waits[slot.index]!.length > 0;
  // Each plugin's close, begun once: it waits for the closes of its dependents first (from the next microtask, so a
  // long chain of plugins never nests calls).
  const closed: Promise<void>[] = [];
  const close = (slot: Slot): Promise<void> =>
    (closed[slot.index] ??= (async () => {
      await undefined;
      await Promise.all(slot.dependents.filter(closes).map(close));
      const given = await Promise.all(
        waits[slot.index]!.map((attempt) => settleAbandoned(run, slot, attempt)),
      );
      for (const error of given) if (error) errors.push(error);
      if (slot.started) {
        const began = clock.now();
        const error = await closeResource(run, slot, slot.resource);
        slot.started = false;
        slot.resource = undefined;
        if (error) errors.push(error);
        events.emit('shutdown:plugin', {
          plugin: slot.plugin.name,
          durationMs: clock.now() - began,
          ...(error && { error: error.toJSON() }),
        });
      }
    })());
  // Every timer the closes wait on is unref'd: this keeps the process alive until they are over.
  const release = keepAlive();
  force.addEventListener('abort', onForce);
  await Promise.all(slots.filter(closes).map(close));
  release();
  force.removeEventListener('abort', onForce);
  return errors;
}

/**
 * Waits for an abandoned attempt's `init` to settle, up to its plugin's close timeout, then for the close of
 * what it resolved late (bounded by its own close timeout). Returns the error if either did not end well.
 */
async function settleAbandoned(
  run: Run,
  slot: Slot,
  attempt: AbandonedAttempt,
): Promise<StartupError | undefined> {
  if (!attempt.done && run.force.aborted) {
    // Forced already: an attempt that honoured its signal still gets the few microtasks it needs to settle.
    await Promise.race([attempt.settled, new Promise((resolve) => setImmediate(resolve))]);
  }
  if (attempt.done) return attempt.lateClose();
  const call = boundedCall(slot, 'closeMs', run.settings.clock, () => attempt.settled);
  const error = await tracked(run, slot, call, 'abandoned init attempt still running', (name, cause) =>
    shutdownError(name, ': abandoned init attempt still running', cause),
  );
  return error ?? attempt.lateClose();
}

/**
 * Closes `resource` of `slot`, bounded by its close timeout; the call stays in `run.closing` meanwhile (to be
 * forced). Never throws: resolves with the error (logged), or `undefined` once closed.
 */
export async function closeResource(
  run: Run,
  slot: Slot,
  resource: unknown,
): Promise<StartupError | undefined> {
  const { plugin, logger } = slot;
  const { close } = plugin;
  if (!close) return undefined;
  const call = boundedCall(slot, 'closeMs', run.settings.clock, (ctx) =>
    close.call(plugin, resource, Object.assign(ctx, { logger })),
  );
  return tracked(run, slot, call, 'close failed', (name, cause) =>
    cause instanceof StartupError && cause.plugin === name
      ? cause
      : shutdownError(name, ' failed to close', cause),
  );
}

/**
 * Awaits `call` while it stays in `run.closing`, aborted as soon as `run.force` is (at once when it already is).
 * Never throws: resolves with `failed(cause)`, logged as `warning`, or with `undefined` once the call succeeded.
 */
async function tracked(
  run: Run,
  slot: Slot,
  call: BoundedCall<unknown>,
  warning: string,
  failed: (plugin: string, cause: unknown) => StartupError,
): Promise<StartupError | undefined> {
  const { closing, force } = run;
  closing.add(call);
  if (force.aborted) call.abort(force.reason);
  try {
    await call.promise;
    return undefined;
  } catch (cause) {
    const error = failed(slot.plugin.name, cause);
    slot.logger.warn(warning, { error: error.message });
    return error;
  } finally {
    closing.delete(call);
  }
}

/** `STARTUP_ERR_SHUTDOWN` for `plugin`: `Plugin "<plugin>"<what>: <the cause's message>`. */
function shutdownError(plugin: string, what: string, cause: unknown): StartupError {
  const message = `Plugin "${plugin}"${what}: ${describeError(cause).message}`;
  return new StartupError('STARTUP_ERR_SHUTDOWN', message, { plugin, cause });
}
