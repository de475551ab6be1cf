import type { Clock } from './clock.js';
import { describeError, StartupError } from './errors.js';
import type { Emitter } from './events.js';
import type { StartupEvents } from './events-map.js';
import type { PluginGraph } from './graph.js';
import type { Slot } from './slot.js';
import { abortable, scopedController, timeoutError } from './timeout.js';

/**
 * Closes every started plugin in reverse dependency order: a plugin closes once all its started dependents
 * have closed, independent plugins in parallel. Each close is bounded by its timeout; `force` aborting ends
 * every close at once. Never throws: returns the errors, one per plugin whose close failed.
 */
export function closeSlots(
  graph: PluginGraph,
  slots: readonly Slot[],
  clock: Clock,
  events: Emitter<StartupEvents>,
  force: AbortSignal,
): Promise<StartupError[]> {
  const errors: StartupError[] = [];
  const remaining = slots.map(
    (slot) => graph.dependents[slot.index]!.filter((i) => slots[i]!.started).length,
  );
  const open = slots.filter((slot) => slot.started);
  if (open.length === 0) return Promise.resolve(errors);
  let left = open.length;
  return new Promise((resolve) => {
    const close = (slot: Slot): void => {
      void closeOne(slot, clock, force).then((outcome) => {
        slot.started = false;
        slot.resource = undefined;
        if (outcome.error) errors.push(outcome.error);
        const event: StartupEvents['shutdown:plugin'] = {
          plugin: slot.plugin.name,
          durationMs: outcome.durationMs,
        };
        if (outcome.error) event.error = outcome.error.toJSON();
        events.emit('shutdown:plugin', event);
        for (const i of graph.deps[slot.index]!) {
          const dep = slots[i]!;
          if (dep.started && --remaining[i]! === 0) close(dep);
        }
        if (--left === 0) resolve(errors);
      });
    };
    for (const slot of open) if (remaining[slot.index] === 0) close(slot);
  });
}

async function closeOne(
  slot: Slot,
  clock: Clock,
  force: AbortSignal,
): Promise<{ durationMs: number; error?: StartupError }> {
  const { plugin, settings } = slot;
  const started = clock.now();
  if (!plugin.close) return { durationMs: 0 };
  const scope = scopedController(force, settings.closeMs, clock, () =>
    timeoutError('STARTUP_ERR_CLOSE_TIMEOUT', plugin.name, 'close', settings.closeMs),
  );
  try {
    const work = new Promise<void>((resolve) =>
      resolve(plugin.close!(slot.resource, { signal: scope.controller.signal, logger: slot.logger })),
    );
    await abortable(work, scope.controller.signal);
    return { durationMs: clock.now() - started };
  } catch (cause) {
    const error =
      cause instanceof StartupError && cause.plugin === plugin.name
        ? cause
        : new StartupError(
            'STARTUP_ERR_SHUTDOWN',
            `Plugin "${plugin.name}" failed to close: ${describeError(cause).message}`,
            {
              plugin: plugin.name,
              cause,
            },
          );
    slot.logger.warn('close failed', { error: error.message });
    return { durationMs: clock.now() - started, error };
  } finally {
    scope.dispose();
  }
}
