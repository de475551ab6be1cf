import { setMaxListeners } from 'node:events';
import { type CircuitBreaker, createBreaker } from './breaker.js';
import { keepAlive } from './clock.js';
import { describeError, type ErrorInfo, StartupError, StartupFailedError } from './errors.js';
import { type Disposer, Emitter } from './events.js';
import type { StartupEvents } from './events-map.js';
import { buildGraph } from './graph.js';
import type { HealthResult, HealthStatus } from './health.js';
import { runHealth, singleFlight } from './health-run.js';
import { childLogger } from './logger.js';
import type { AnyPlugin, ResourcesOf, RuntimeReporter } from './plugin.js';
import type { StartupReport } from './report.js';
import { buildReport } from './report-builder.js';
import { type RunContext, runPlugin } from './run-plugin.js';
import { closeSlots } from './shutdown.js';
import type { Slot } from './slot.js';
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
   * everything that started was closed. Calling it again returns the same promise.
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
   * close timeout. During a start, cancels it instead. Idempotent. Rejects with `STARTUP_ERR_SHUTDOWN` listing every
   * close that failed, after all were attempted. `force` aborting ends every close at once.
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
  const graph = buildGraph(plugins);
  const settings = resolveSettings(plugins, options);
  const { clock, logger } = settings;
  const events = new Emitter<StartupEvents>();
  const onListenerError = (error: unknown) =>
    logger.error('event listener threw', { error: describeError(error).message });
  const emit = <K extends keyof StartupEvents>(event: K, payload: StartupEvents[K]) =>
    events.emit(event, payload, onListenerError);
  const emitter = { emit } as Emitter<StartupEvents>;

  const slots: Slot[] = plugins.map((plugin, index) => {
    const slotLogger = childLogger(logger, { plugin: plugin.name });
    const breaker = createBreaker({ ...settings.plugins[index]!.breaker, name: plugin.name, clock });
    breaker.onStateChange(({ from, to, error }) => {
      const payload: StartupEvents['breaker:state'] = { plugin: plugin.name, from, to };
      if (error !== undefined) payload.error = describeError(error);
      emit('breaker:state', payload);
    });
    return {
      index,
      plugin,
      settings: settings.plugins[index]!,
      report: {
        name: plugin.name,
        dependsOn: [...new Set(plugin.dependsOn ?? [])],
        optional: plugin.optional === true,
        status: 'pending',
        queuedMs: 0,
        attempts: [],
        steps: [],
      },
      breaker,
      logger: slotLogger,
      waitingOn: graph.deps[index]!.length,
      started: false,
      resource: undefined,
      down: undefined,
      attempt: 0,
    };
  });

  let state: StartupState = 'idle';
  let t0 = 0;
  let startedAt = 0;
  let endedAt: number | undefined;
  let startError: ErrorInfo | undefined;
  let startPromise: Promise<ResourcesOf<Plugins>> | undefined;
  let stopPromise: Promise<void> | undefined;
  const abortStart = new AbortController();
  // Every running plugin listens on it; more than 10 at once is normal here, not a leak.
  setMaxListeners(0, abortStart.signal);
  let cancel: ((error: StartupError) => void) | undefined;
  const resources: Record<string, unknown> = {};

  const elapsed = () => clock.now() - t0;
  const report = (): StartupReport => {
    const status =
      state === 'starting' || state === 'idle'
        ? 'starting'
        : state === 'failed'
          ? startError?.code === 'STARTUP_ERR_ABORTED'
            ? 'aborted'
            : 'failed'
          : state === 'degraded'
            ? 'degraded'
            : 'ready';
    return buildReport(slots, status, startedAt, endedAt ?? (state === 'idle' ? 0 : elapsed()), startError);
  };

  const runtime = (slot: Slot): RuntimeReporter => ({
    down(error) {
      if (slot.down || state === 'idle' || slot.report.status !== 'ready') return;
      slot.down = describeError(error ?? new Error('connection lost'));
      slot.breaker.recordFailure(error);
      const payload: StartupEvents['plugin:down'] = { plugin: slot.plugin.name, error: slot.down };
      emit('plugin:down', payload);
    },
    up() {
      if (!slot.down) return;
      slot.down = undefined;
      slot.breaker.recordSuccess();
      emit('plugin:up', { plugin: slot.plugin.name });
    },
  });

  const run: RunContext = {
    settings,
    events: emitter,
    elapsed,
    deps: (slot) =>
      Object.fromEntries(graph.deps[slot.index]!.map((i) => [slots[i]!.plugin.name, slots[i]!.resource])),
    runtime,
    closeLate: (slot, resource) => {
      slot.logger.warn('closing a resource whose attempt was abandoned');
      void Promise.resolve()
        .then(() =>
          slot.plugin.close?.(resource, {
            signal: AbortSignal.timeout(slot.settings.closeMs),
            logger: slot.logger,
          }),
        )
        .catch((error) =>
          slot.logger.warn('closing an abandoned resource failed', { error: describeError(error).message }),
        );
    },
  };

  const start = (): Promise<ResourcesOf<Plugins>> =>
    new Promise((resolve, reject) => {
      state = 'starting';
      t0 = clock.now();
      startedAt = clock.wallNow();
      const failures: StartupError[] = [];
      let running = 0;
      let settled = 0;
      let failing: StartupError | undefined;

      const release = keepAlive();
      const outside = settings.signal;
      const onOutsideAbort = () => fail(abortedError(outside?.reason));
      if (outside?.aborted) queueMicrotask(onOutsideAbort);
      else outside?.addEventListener('abort', onOutsideAbort, { once: true });
      const deadline = Number.isFinite(settings.deadlineMs)
        ? clock.setTimeout(
            () => fail(deadlineError(settings.deadlineMs, slots, elapsed())),
            settings.deadlineMs,
          )
        : undefined;
      const cleanup = () => {
        release();
        if (deadline !== undefined) clock.clearTimeout(deadline);
        outside?.removeEventListener('abort', onOutsideAbort);
      };

      const launch = (slot: Slot) => {
        running++;
        slot.report.status = 'starting';
        slot.report.depsReadyMs = elapsed();
        emit('plugin:start', { plugin: slot.plugin.name, atMs: slot.report.depsReadyMs });
        runPlugin(run, slot, abortStart.signal).then(
          (resource) => ready(slot, resource),
          (error) => failed(slot, error),
        );
      };

      const ready = (slot: Slot, resource: unknown) => {
        running--;
        slot.started = true;
        slot.resource = resource;
        slot.report.status = 'ready';
        slot.report.readyMs = elapsed();
        slot.report.durationMs = slot.report.readyMs - slot.report.depsReadyMs!;
        if (failing) return maybeRollback();
        resources[slot.plugin.name] = resource;
        emit('plugin:ready', {
          plugin: slot.plugin.name,
          attempts: slot.attempt,
          durationMs: slot.report.durationMs,
        });
        settled++;
        for (const i of graph.dependents[slot.index]!) {
          const next = slots[i]!;
          if (--next.waitingOn === 0) launch(next);
        }
        maybeComplete();
      };

      const failed = (slot: Slot, error: unknown) => {
        running--;
        const err =
          error instanceof StartupError
            ? error
            : new StartupError('STARTUP_ERR_PLUGIN_FAILED', describeError(error).message, {
                plugin: slot.plugin.name,
                cause: error,
              });
        slot.report.endMs = elapsed();
        slot.report.durationMs = slot.report.endMs - slot.report.depsReadyMs!;
        slot.report.error = describeError(err);
        if (failing) {
          slot.report.status = 'aborted';
          failures.push(err === failing ? abortedPluginError(slot, failing) : err);
          return maybeRollback();
        }
        slot.report.status = 'failed';
        emit('plugin:failed', {
          plugin: slot.plugin.name,
          attempts: slot.attempt,
          error: slot.report.error,
          optional: slot.plugin.optional === true,
        });
        if (slot.plugin.optional) {
          settled++;
          skipDependents(slot);
          return maybeComplete();
        }
        fail(err);
      };

      const skipDependents = (failedSlot: Slot) => {
        const stack = [...graph.dependents[failedSlot.index]!];
        while (stack.length > 0) {
          const next = slots[stack.pop()!]!;
          if (next.report.status !== 'pending') continue;
          next.report.status = 'skipped';
          next.report.skippedBecause = `dependency "${failedSlot.plugin.name}" failed`;
          next.report.endMs = elapsed();
          settled++;
          emit('plugin:skipped', { plugin: next.plugin.name, reason: next.report.skippedBecause });
          stack.push(...graph.dependents[next.index]!);
        }
      };

      cancel = (error: StartupError) => fail(error);
      const fail = (error: StartupError) => {
        if (failing || state !== 'starting') return;
        failing = error;
        failures.unshift(error);
        abortStart.abort(error);
        maybeRollback();
      };

      let rolledBack = false;
      const maybeRollback = () => {
        if (running > 0 || rolledBack) return;
        rolledBack = true;
        cleanup();
        for (const slot of slots) if (slot.report.status === 'pending') slot.report.status = 'aborted';
        void closeSlots(graph, slots, clock, emitter, new AbortController().signal).then((closeErrors) => {
          const code =
            failing!.code === 'STARTUP_ERR_DEADLINE' || failing!.code === 'STARTUP_ERR_ABORTED'
              ? failing!.code
              : 'STARTUP_ERR_FAILED';
          const error = new StartupFailedError(code as 'STARTUP_ERR_FAILED', startFailedMessage(code), [
            ...failures,
            ...closeErrors,
          ]);
          endedAt = elapsed();
          startError = describeError(error);
          state = 'failed';
          emit('startup:failed', { error: startError, report: report() });
          reject(error);
        });
      };

      const maybeComplete = () => {
        if (settled < slots.length || failing) return;
        cleanup();
        endedAt = elapsed();
        state = slots.some((s) => s.report.status !== 'ready') ? 'degraded' : 'ready';
        emit('startup:ready', { report: report() });
        resolve(resources as ResourcesOf<Plugins>);
      };

      if (slots.length === 0) return maybeComplete();
      for (const slot of slots) if (slot.waitingOn === 0) launch(slot);
    });

  const health = singleFlight(
    async () => {
      const result = await runHealth(slots, clock);
      emit('health', { result });
      return result;
    },
    settings.healthCacheMs,
    clock,
  );

  const app: Startup<ResourcesOf<Plugins>> = {
    get state() {
      return state;
    },
    start() {
      if (startPromise) return startPromise;
      if (state !== 'idle')
        return Promise.reject(
          new StartupError('STARTUP_ERR_ALREADY_STARTED', `Cannot start: the application is ${state}`),
        );
      startPromise = start();
      return startPromise;
    },
    get resources() {
      if (state !== 'ready' && state !== 'degraded') {
        throw new StartupError(
          'STARTUP_ERR_NOT_STARTED',
          `Resources are available once the start completed; the application is ${state}`,
        );
      }
      return resources as ResourcesOf<Plugins>;
    },
    on: (event, listener) => events.on(event, listener),
    report,
    health,
    liveness: () => ({ status: state === 'failed' || state === 'stopped' ? 'fail' : 'pass', state }),
    async readiness({ openBreakerFails = false } = {}) {
      if (state !== 'ready' && state !== 'degraded') return { status: 'fail', state };
      const result = await health();
      const failing = Object.values(result.checks).filter((c) => c.status === 'fail');
      const onlyOpen = failing.length > 0 && failing.every((c) => c.breaker.state === 'OPEN');
      const status = result.status === 'fail' && onlyOpen && !openBreakerFails ? 'warn' : result.status;
      return { status, state, health: result };
    },
    breaker(name) {
      const i = graph.index.get(name);
      if (i === undefined)
        throw new StartupError('STARTUP_ERR_INVALID_OPTION', `No plugin is named "${name}"`, {
          plugin: name,
        });
      return slots[i]!.breaker;
    },
    stop({ reason = 'stop() called', force } = {}) {
      stopPromise ??= stopNow(reason, force);
      return stopPromise;
    },
    [Symbol.asyncDispose]() {
      return app.stop({ reason: 'disposed' });
    },
  };

  const stopNow = async (reason: string, force: AbortSignal | undefined): Promise<void> => {
    const release = keepAlive();
    try {
      await stopSlots(reason, force);
    } finally {
      release();
    }
  };

  const stopSlots = async (reason: string, force: AbortSignal | undefined): Promise<void> => {
    const began = clock.now();
    emit('shutdown:start', { reason });
    if (state === 'starting') {
      cancel?.(abortedError(new Error(reason)));
      await startPromise!.catch(() => {});
    }
    const previous = state;
    if (previous === 'failed') {
      state = 'stopped';
      emit('shutdown:complete', { durationMs: clock.now() - began, errors: [] });
      return;
    }
    state = 'stopping';
    const errors = await closeSlots(graph, slots, clock, emitter, force ?? new AbortController().signal);
    state = 'stopped';
    emit('shutdown:complete', { durationMs: clock.now() - began, errors: errors.map((e) => e.toJSON()) });
    if (errors.length > 0)
      throw new StartupFailedError('STARTUP_ERR_SHUTDOWN', 'Shutdown completed with errors', errors);
  };

  return app;
}

function abortedError(reason: unknown): StartupError {
  const why =
    reason instanceof Error ? reason.message : reason === undefined ? 'signal aborted' : String(reason);
  return new StartupError('STARTUP_ERR_ABORTED', `Start-up aborted: ${why}`, {
    cause: reason,
    retryable: false,
  });
}

function abortedPluginError(slot: Slot, because: StartupError): StartupError {
  const ran = Math.round((slot.report.endMs ?? 0) - (slot.report.depsReadyMs ?? 0));
  return new StartupError(
    'STARTUP_ERR_ABORTED',
    `Plugin "${slot.plugin.name}" was aborted after ${ran} ms (attempt ${slot.attempt}): ${because.code}`,
    {
      plugin: slot.plugin.name,
      cause: because,
      retryable: false,
    },
  );
}

function deadlineError(deadlineMs: number, slots: readonly Slot[], now: number): StartupError {
  const running = slots
    .filter((s) => s.report.status === 'starting')
    .map(
      (s) => `${s.plugin.name} (running ${Math.round(now - s.report.depsReadyMs!)} ms, attempt ${s.attempt})`,
    );
  const waiting = slots.filter((s) => s.report.status === 'pending').map((s) => s.plugin.name);
  const detail = `still running: ${running.join(', ') || 'none'}${waiting.length ? `; waiting: ${waiting.join(', ')}` : ''}`;
  return new StartupError(
    'STARTUP_ERR_DEADLINE',
    `Start-up deadline of ${deadlineMs} ms exceeded; ${detail}`,
    { retryable: false },
  );
}

function startFailedMessage(code: string): string {
  if (code === 'STARTUP_ERR_DEADLINE')
    return 'Start-up did not complete within its deadline; everything started was closed';
  if (code === 'STARTUP_ERR_ABORTED') return 'Start-up was aborted; everything started was closed';
  return 'Start-up failed; everything started was closed';
}
