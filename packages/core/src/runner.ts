import type { CircuitBreaker } from './breaker.js';
import { keepAlive } from './clock.js';
import { describeError, type ErrorInfo, invalidOption, StartupError, StartupFailedError } from './errors.js';
import { type Disposer, Emitter } from './events.js';
import type { StartupEvents } from './events-map.js';
import { buildGraph } from './graph.js';
import type { HealthResult, HealthStatus } from './health.js';
import { runHealth, singleFlight } from './health-run.js';
import type { AnyPlugin, ResourcesOf } from './plugin.js';
import type { StartupReport, StartupStatus } from './report.js';
import { buildReport } from './report-builder.js';
import { closeSlots } from './shutdown.js';
import { breakerOf, createSlots, type Run, resourcesOf } from './slot.js';
import { abortedError, type StartInProgress, startPlugins } from './start.js';
import { resolveSettings, type StartupOptions } from './startup-options.js';

/** Where an application is in its life. */
export type StartupState = 'idle' | 'starting' | 'ready' | 'degraded' | 'failed' | 'stopping' | 'stopped';

/** An application made of plugins. See {@link createStartup}. */
export interface Startup<Resources> extends AsyncDisposable {
  /** Where the application is in its life. */
  readonly state: StartupState;
  /**
   * Starts every plugin as soon as its dependencies are ready. Resolves with the typed resources; rejects with
   * a {@link StartupFailedError} (`STARTUP_ERR_FAILED`, `STARTUP_ERR_DEADLINE` or `STARTUP_ERR_ABORTED`) after
   * everything that started was closed, and after every abandoned attempt (timed out or aborted) has ended, or
   * its plugin's close timeout passed (then listed as a `STARTUP_ERR_SHUTDOWN` failure). Calling it again returns
   * the same promise.
   */
  start(): Promise<Resources>;
  /** The resources of a started application; throws `STARTUP_ERR_NOT_STARTED` before. */
  readonly resources: Resources;
  /** Subscribes to an event; returns a disposer. */
  on<K extends keyof StartupEvents>(event: K, listener: (payload: StartupEvents[K]) => void): Disposer;
  /** The start-up report so far (also while starting). */
  report(): StartupReport;
  /** Every plugin's check in parallel (single-flight, cached for `health.cacheMs`). */
  health(): Promise<HealthResult>;
  /** Liveness: never touches a backend. `fail` only once the application failed or stopped. */
  liveness(): { status: HealthStatus; state: StartupState };
  /**
   * Readiness: `fail` until the start completed and once shutdown begins; otherwise the health status, except
   * that a plugin failing only because its breaker is OPEN does not fail readiness (set `openBreakerFails`).
   */
  readiness(options?: {
    openBreakerFails?: boolean;
  }): Promise<{ status: HealthStatus; state: StartupState; health?: HealthResult }>;
  /** The breaker of a plugin (throws `STARTUP_ERR_INVALID_OPTION` for an unknown name). */
  breaker(plugin: string): CircuitBreaker;
  /**
   * Closes every started plugin in reverse dependency order (independent ones in parallel), each bounded by its
   * close timeout, once every abandoned `init` attempt has ended (each waited for up to its close timeout).
   * During a start, cancels it instead. Idempotent. Rejects with `STARTUP_ERR_SHUTDOWN` listing every close that
   * failed, after all were attempted. `force` aborting ends every wait and close at once.
   */
  stop(options?: { reason?: string; force?: AbortSignal }): Promise<void>;
}

/**
 * Creates an application from plugins and validates everything (names, dependencies, cycles, options) before
 * anything starts. Resources are typed: `createStartup([postgres(), redis()])` gives `resources.postgres: pg.Pool`.
 */
export function createStartup<const Plugins extends readonly AnyPlugin[]>(
  plugins: Plugins,
  options: StartupOptions = {},
): Startup<ResourcesOf<Plugins>> {
  type Resources = ResourcesOf<Plugins>;
  const graph = buildGraph(plugins);
  const settings = resolveSettings(plugins, options);
  const { clock, logger } = settings;
  const events = new Emitter<StartupEvents>((error) =>
    logger.error('event listener threw', { error: describeError(error).message }),
  );
  let t0 = 0;
  const slots = createSlots(plugins, graph, settings, events);
  // Every stop({ force }) feeds this one signal: a force reaches whichever rollback or shutdown is running.
  const forced = new AbortController();
  // Every force signal is listened to once; aborted once the shutdown is over, `unlink` removes the listeners.
  const linked = new Set<AbortSignal>();
  const unlink = new AbortController();
  const run: Run = {
    slots,
    settings,
    events,
    elapsed: () => clock.now() - t0,
    force: forced.signal,
    closing: new Set(),
  };

  let state: StartupState = 'idle';
  let outcome: StartupStatus = 'starting';
  let startedAt = 0;
  let endedAt: number | undefined;
  let startError: ErrorInfo | undefined;
  let resources: Resources | undefined;
  let starting: Promise<Resources> | undefined;
  let current: StartInProgress | undefined;
  let stopping: Promise<void> | undefined;

  const report = (): StartupReport =>
    buildReport(slots, outcome, startedAt, endedAt ?? (state === 'idle' ? 0 : run.elapsed()), startError);

  const start = (): Promise<Resources> => {
    state = 'starting';
    t0 = clock.now();
    startedAt = clock.wallNow();
    current = startPlugins(run);
    // Set before any plugin launches: a listener may call stop(), which awaits it.
    starting = settle(current);
    current.begin();
    return starting;
  };

  const settle = async (progress: StartInProgress): Promise<Resources> => {
    const failure: StartupFailedError | undefined = await progress.done.catch((error) => error);
    endedAt = run.elapsed();
    if (failure) {
      startError = describeError(failure);
      state = 'failed';
      outcome = failure.code === 'STARTUP_ERR_ABORTED' ? 'aborted' : 'failed';
      if (events.has('startup:failed'))
        events.emit('startup:failed', { error: startError, report: report() });
      throw failure;
    }
    const started = slots.filter((s) => s.started);
    outcome = started.length === slots.length ? 'ready' : 'degraded';
    state = outcome;
    resources = resourcesOf(started) as Resources;
    if (events.has('startup:ready')) events.emit('startup:ready', { report: report() });
    return resources;
  };

  const stop = async (reason: string): Promise<void> => {
    const began = clock.now();
    events.emit('shutdown:start', { reason });
    let errors: StartupError[] = [];
    if (state === 'starting') {
      current!.fail(abortedError(new Error(reason)));
      await starting!.catch(() => {});
      errors = current!.closeErrors;
    }
    if (state !== 'failed') {
      state = 'stopping';
      errors = await closeSlots(run);
    }
    state = 'stopped';
    events.emit('shutdown:complete', {
      durationMs: clock.now() - began,
      errors: errors.map((e) => e.toJSON()),
    });
    if (errors.length > 0) {
      throw new StartupFailedError('STARTUP_ERR_SHUTDOWN', 'Shutdown completed with errors', errors);
    }
  };

  // Shutdown asked for, or a failed start rolling back: health checks leave the backends alone.
  const closing = () => stopping !== undefined || current?.failing === true;
  const health = singleFlight(
    async () => {
      // The checks' timers are unref'd: a caller awaiting health() keeps the process alive.
      const release = keepAlive();
      const result = await runHealth(run, closing()).finally(release);
      events.emit('health', { result });
      return result;
    },
    settings.healthCacheMs,
    clock,
    // A runtime report changes the answer at once, not after the cache period.
    () => [state, closing(), ...slots.map((slot) => slot.down && ` down ${slot.down.code}`)].join(),
  );
  const started = () => state === 'ready' || state === 'degraded';

  const app: Startup<Resources> = {
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle' && !starting) {
        const message = `Cannot start: the application is ${state}`;
        return Promise.reject(new StartupError('STARTUP_ERR_ALREADY_STARTED', message));
      }
      return starting ?? start();
    },
    get resources() {
      if (!started()) {
        const message = `No resources: the application is ${state}; await start() first`;
        throw new StartupError('STARTUP_ERR_NOT_STARTED', message);
      }
      return resources!;
    },
    on: (event, listener) => events.on(event, listener),
    report,
    health,
    liveness: () => ({ status: state === 'failed' || state === 'stopped' ? 'fail' : 'pass', state }),
    async readiness({ openBreakerFails = false } = {}) {
      if (!started()) return { status: 'fail', state };
      const result = await health();
      // One shared dependency's outage must not pull every replica out of service.
      const onlyOpen =
        result.status === 'fail' &&
        Object.values(result.checks).every((c) => c.status !== 'fail' || c.breaker.state === 'OPEN');
      return { status: onlyOpen && !openBreakerFails ? 'warn' : result.status, state, health: result };
    },
    breaker(name) {
      const i = graph.index.get(name);
      if (i === undefined) {
        throw new StartupError('STARTUP_ERR_INVALID_OPTION', `No plugin is named "${name}"`, {
          plugin: name,
        });
      }
      return breakerOf(slots[i]!, clock, events);
    },
    stop({ reason = 'stop() called', force } = {}) {
      if (force !== undefined && !(force instanceof AbortSignal)) {
        return Promise.reject(invalidOption('force', 'an AbortSignal', force));
      }
      if (force && state !== 'stopped' && !linked.has(force)) {
        linked.add(force);
        const onForce = () => forced.abort(force.reason);
        if (force.aborted) onForce();
        force.addEventListener('abort', onForce, { once: true, signal: unlink.signal });
      }
      if (stopping) return stopping;
      // Assigned before shutdown:start is emitted: a listener calling stop() gets this same shutdown.
      let begin!: () => void;
      stopping = new Promise<void>((resolve, reject) => {
        begin = () => void stop(reason).then(resolve, reject);
      }).finally(() => unlink.abort());
      begin();
      return stopping;
    },
    [Symbol.asyncDispose]() {
      return app.stop({ reason: 'disposed' });
    },
  };
  return app;
}
