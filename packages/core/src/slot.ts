import { type CircuitBreaker, circuitBreaker } from './breaker.js';
import type { Clock } from './clock.js';
import { describeError, type ErrorInfo, type StartupError } from './errors.js';
import type { Emitter } from './events.js';
import type { StartupEvents } from './events-map.js';
import type { PluginGraph } from './graph.js';
import { childLogger, type Logger } from './logger.js';
import type { AnyPlugin, RuntimeReporter } from './plugin.js';
import type { PluginReport } from './report.js';
import type { PluginSettings, RunnerSettings } from './startup-options.js';
import type { BoundedCall } from './timeout.js';

/** The runner's state of one plugin. Internal. */
export interface Slot {
  readonly index: number;
  readonly plugin: AnyPlugin;
  readonly settings: PluginSettings;
  /** Its part of the start-up report, updated as it goes. */
  readonly report: PluginReport;
  /** Made on first use, by {@link breakerOf}: a start never needs it. */
  breaker: CircuitBreaker | undefined;
  readonly logger: Logger;
  /** The slots of its dependencies (duplicates removed), and of the plugins depending on it. */
  readonly deps: Slot[];
  readonly dependents: Slot[];
  /** Dependencies not ready yet. */
  waitingOn: number;
  /** True once `init` resolved, until it is closed. */
  started: boolean;
  resource: unknown;
  /** Set by `ctx.runtime.down()`, cleared by `up()`. */
  down: ErrorInfo | undefined;
  /** `ctx.runtime` of every attempt. */
  readonly runtime: RuntimeReporter;
  /** Attempts cut short (timed out or aborted) whose `init` may still be running. Closing waits for them. */
  readonly abandoned: Set<AbandonedAttempt>;
  /** Cancels `init` (its attempt or backoff wait) while it runs. */
  abort: ((reason: StartupError) => void) | undefined;
}

/** An attempt given up on while its `init` may still run. Internal. */
export interface AbandonedAttempt {
  /** Resolves once `init` itself has settled. */
  readonly settled: Promise<void>;
  /** True once it has (a forced close then skips the wait instead of reporting it cut short). */
  readonly done: boolean;
  /** The close of what `init` resolved with after it was given up on, if it did. */
  lateClose(): Promise<StartupError | undefined> | undefined;
}

/** What the parts of one application's runner share. Internal. */
export interface Run {
  readonly slots: readonly Slot[];
  readonly settings: RunnerSettings;
  readonly events: Emitter<StartupEvents>;
  /** Milliseconds since the start began. */
  elapsed(): number;
  /** Aborted by any `stop({ force })`: ends every close and every wait for an abandoned attempt at once. */
  readonly force: AbortSignal;
  /** Every close and wait in progress: `force` aborts them all. */
  readonly closing: Set<BoundedCall<unknown>>;
}

/** One slot per plugin, linked as the graph says, each with a `pending` report. */
export function createSlots(
  plugins: readonly AnyPlugin[],
  graph: PluginGraph,
  settings: RunnerSettings,
  events: Emitter<StartupEvents>,
): Slot[] {
  const { clock } = settings;
  // Plain object literals, with no getter: V8 makes a literal with a getter property by property, about a
  // microsecond each, times a thousand plugins.
  const slots = plugins.map((plugin, index) => {
    const { name } = plugin;
    const deps = graph.deps[index]!;
    const slot: Slot = {
      index,
      plugin,
      settings: settings.plugins[index]!,
      report: {
        name,
        dependsOn: deps.map((i) => plugins[i]!.name),
        optional: plugin.optional === true,
        status: 'pending',
        queuedMs: 0,
        attempts: [],
        steps: [],
      },
      breaker: undefined,
      logger: childLogger(settings.logger, { plugin: name }),
      deps: [],
      dependents: [],
      waitingOn: deps.length,
      started: false,
      resource: undefined,
      down: undefined,
      abandoned: new Set(),
      abort: undefined,
      runtime: {
        down(error) {
          const info = describeError(error ?? new Error('connection lost'));
          // Once per outage, unless the reason changes (a reconnecting client that finally gives up).
          if (!slot.started || (slot.down && slot.down.code === info.code)) return;
          slot.down = info;
          breakerOf(slot, clock, events).recordFailure(error);
          events.emit('plugin:down', { plugin: name, error: info });
        },
        up() {
          if (!slot.down) return;
          slot.down = undefined;
          // The connector saw the service come back: health checks may reach it again at once.
          breakerOf(slot, clock, events).reset();
          events.emit('plugin:up', { plugin: name });
        },
      },
    };
    return slot;
  });
  for (const slot of slots) {
    for (const i of graph.deps[slot.index]!) slot.deps.push(slots[i]!);
    for (const i of graph.dependents[slot.index]!) slot.dependents.push(slots[i]!);
  }
  return slots;
}

/**
 * The resources of `slots`, by plugin name. Built in a null-prototype object, which V8 keeps as a hash table, then
 * given the usual prototype: added one by one to `{}`, each new name makes V8 build another hidden class (for the
 * thousand names of a large start, megabytes of garbage and milliseconds).
 */
export function resourcesOf(slots: readonly Slot[]): Record<string, unknown> {
  const resources: Record<string, unknown> = Object.create(null);
  for (const slot of slots) resources[slot.plugin.name] = slot.resource;
  return Object.setPrototypeOf(resources, Object.prototype);
}

/**
 * A plugin's breaker, its transitions emitted as `breaker:state`. Made on first use: a start never needs it; health
 * checks, runtime reports and `app.breaker()` do.
 */
export function breakerOf(slot: Slot, clock: Clock, events: Emitter<StartupEvents>): CircuitBreaker {
  if (slot.breaker) return slot.breaker;
  const { name } = slot.plugin;
  const breaker = circuitBreaker(slot.settings.breaker, clock, name);
  slot.breaker = breaker;
  breaker.onStateChange(({ from, to, error }) => {
    events.emit('breaker:state', {
      plugin: name,
      from,
      to,
      ...(error !== undefined && { error: describeError(error) }),
    });
  });
  return breaker;
}
