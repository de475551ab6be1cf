import { type Clock, keepAlive } from './clock.js';
import { describeError, StartupError } from './errors.js';
import type { Run, Slot } from './slot.js';
import { type BoundedCall, boundedCall } from './timeout.js';

/**
 * Closes every started plugin in reverse dependency order: a plugin closes once all its started dependents
 * have closed, independent plugins in parallel. Attempts cut short are waited for first (each up to its
 * plugin's close timeout), so nothing they opened outlives the returned promise. Each close is bounded by its
 * timeout; `run.force` aborting ends every wait and close at once. Never throws: returns the errors, one per
 * plugin whose close (or abandoned attempt) did not end well.
 */
export async function closeSlots(run: Run): Promise<StartupError[]> {
  const { slots, events, abandoned, force } = run;
  const { clock } = run.settings;
  const closing = new Set<BoundedCall<unknown>>();
  const onForce = () => {
    for (const call of closing) call.abort(force.reason);
  };
  // Every timer the closes wait on is unref'd: this keeps the process alive until they are over.
  const release = keepAlive();
  force.addEventListener('abort', onForce);
  const waits = [...abandoned].map(({ slot, finished }) => settleAbandoned(slot, finished, clock, closing));
  if (force.aborted) onForce();
  const errors = (await Promise.all(waits)).filter((error) => error !== undefined);
  const dependents = slots.map((slot) => slot.dependents.filter((dep) => dep.started).length);
  let left = slots.filter((slot) => slot.started).length;
  await new Promise<void>((resolve) => {
    const close = async (slot: Slot) => {
      const began = clock.now();
      const closed = closeResource(slot, slot.resource, clock, closing);
      if (force.aborted) onForce();
      const error = await closed;
      slot.started = false;
      slot.resource = undefined;
      const event = { plugin: slot.plugin.name, durationMs: clock.now() - began };
      if (error) errors.push(error);
      events.emit('shutdown:plugin', error ? { ...event, error: error.toJSON() } : event);
      for (const dep of slot.deps) if (dep.started && --dependents[dep.index]! === 0) void close(dep);
      if (--left === 0) resolve();
    };
    if (left === 0) return resolve();
    for (const slot of slots) if (slot.started && dependents[slot.index] === 0) void close(slot);
  });
  release();
  force.removeEventListener('abort', onForce);
  return errors;
}

/** Waits for an abandoned attempt of `slot` to end, up to its close timeout; the error if it did not. */
async function settleAbandoned(
  slot: Slot,
  finished: Promise<unknown>,
  clock: Clock,
  closing: Set<BoundedCall<unknown>>,
): Promise<StartupError | undefined> {
  const call = boundedCall(slot, 'closeMs', clock, () => finished);
  closing.add(call);
  try {
    await call.promise;
    return undefined;
  } catch (cause) {
    const { name } = slot.plugin;
    const error = new StartupError(
      'STARTUP_ERR_SHUTDOWN',
      `Plugin "${name}": an abandoned init attempt was still running when closing gave up on it: ${describeError(cause).message}`,
      { plugin: name, cause },
    );
    slot.logger.warn('abandoned attempt still running', { error: error.message });
    return error;
  } finally {
    closing.delete(call);
  }
}
/**
 * Closes `resource` of `slot`, bounded by its close timeout; the call stays in `closing` meanwhile (to be forced).
 * Never throws: resolves with the error (logged), or `undefined` once closed.
 */
export async function closeResource(
  slot: Slot,
  resource: unknown,
  clock: Clock,
  closing = new Set<BoundedCall<unknown>>(),
): Promise<StartupError | undefined> {
  const { plugin, logger } = slot;
  const { close } = plugin;
  if (!close) return undefined;
  const call = boundedCall(slot, 'closeMs', clock, (ctx) =>
    close.call(plugin, resource, Object.assign(ctx, { logger })),
  );
  closing.add(call);
  try {
    await call.promise;
  } catch (cause) {
    const { name } = plugin;
    const error =
      cause instanceof StartupError && cause.plugin === name
        ? cause
        : new StartupError(
            'STARTUP_ERR_SHUTDOWN',
            `Plugin "${name}" failed to close: ${describeError(cause).message}`,
            {
              plugin: name,
              cause,
            },
          );
    logger.warn('close failed', { error: error.message });
    return error;
  } finally {
    closing.delete(call);
  }
}
