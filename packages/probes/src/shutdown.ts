import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  type Clock,
  type Disposer,
  handleSignals,
  type Logger,
  type Startup,
  StartupError,
  type Stoppable,
  silentLogger,
  sleep,
  systemClock,
} from '@startup/core';
import { checkDuration, invalidOption } from '@startup/core/plugin-kit';
import type { ProbeRoutes } from './probe-routes.js';

/** Options of the graceful shutdown of {@link attachProbes} and {@link serveProbes}. */
export interface ShutdownOptions {
  /**
   * Readiness fails this long before the servers stop accepting connections, so load balancers take the
   * instance out first, in milliseconds. Skipped when the start had not completed. Defaults to 0.
   */
  delayMs?: number;
  /**
   * Bound on the whole shutdown, in milliseconds: past it the connections still open are destroyed, every close
   * still running is aborted, and `stop()` rejects with `STARTUP_ERR_SHUTDOWN`. Defaults to 10000.
   */
  timeoutMs?: number;
  /**
   * Signals that begin the shutdown (a second one forces it, as core's `handleSignals` does). Defaults to
   * `['SIGTERM', 'SIGINT']`; `[]` to call `stop()` yourself.
   */
  signals?: readonly NodeJS.Signals[];
  /** Called once a shutdown begun by a signal settled, with its error if it failed. */
  onShutdown?: (error?: unknown) => void;
  /** Time source of `delayMs` and `timeoutMs`. Defaults to core's `systemClock`. */
  clock?: Clock;
  /** Where the shutdown says what it does (`shutting down: readiness now fails`, `shutdown complete`). Defaults to silent. */
  logger?: Logger;
}

/** The option names of {@link ShutdownOptions}. */
export const shutdownOptionKeys = [
  'delayMs',
  'timeoutMs',
  'signals',
  'onShutdown',
  'clock',
  'logger',
] as const;

/** What the shutdown stops: core's `createStartup()` result fits. */
export type StoppableApp = Pick<Startup<unknown>, 'state' | 'stop'>;

/** A shutdown: `stop()` runs it once (later calls return the same promise); `dispose()` removes the signal handlers. */
export interface GracefulShutdown extends Stoppable {
  /** Removes the signal handlers without shutting down. Done by itself once a shutdown has finished. */
  dispose: Disposer;
}

/** What {@link closeHttpServers} returns: closes the servers; `release()` stops following their requests. */
export interface ServerCloser {
  (forced: AbortSignal): Promise<void>;
  /** Removes the `request` listener each server was given; for an owner that lets go of a server it keeps. */
  release(): void;
}

const owner = '@startup/probes';

/**
 * The shutdown sequence, terminus-style: readiness fails first (the probes drain, and every response from then on
 * carries `Connection: close`); a start still running is cancelled at once; after `delayMs` the servers stop
 * accepting connections and their idle keep-alive connections close; in-flight requests finish; then `app.stop()`
 * closes every plugin in reverse dependency order. `closeServers` closes the servers (see {@link closeHttpServers});
 * when its signal aborts (a second signal, or `timeoutMs`) it must drop the connections still open.
 */
export function gracefulShutdown(
  app: StoppableApp,
  routes: ProbeRoutes,
  closeServers: (forced: AbortSignal) => Promise<void>,
  options: ShutdownOptions,
): GracefulShutdown {
  const delayMs = checkDuration('delayMs', options.delayMs, 0, { plugin: owner });
  const timeoutMs = checkDuration('timeoutMs', options.timeoutMs, 10_000, { plugin: owner, positive: true });
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !s.startsWith('SIG'))) {
    throw invalidOption('signals', "an array of signal names such as ['SIGTERM']", signals, owner);
  }
  if (options.onShutdown !== undefined && typeof options.onShutdown !== 'function') {
    throw invalidOption('onShutdown', 'a function', options.onShutdown, owner);
  }
  if (typeof app.stop !== 'function') {
    throw invalidOption('app', "an application from core's createStartup()", app, owner);
  }
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  let stopping: Promise<void> | undefined;

  const run = async (reason: string, force: AbortSignal | undefined) => {
    const wasStarted = routes.phase === 'started';
    routes.drain();
    logger.info('shutting down: readiness now fails', { reason });
    const timedOut = new AbortController();
    const deadline = timedOut.signal;
    const timer = clock.setTimeout(
      () => timedOut.abort(new Error(`shutdown took over ${timeoutMs} ms`)),
      timeoutMs,
    );
    const forced = force ? AbortSignal.any([force, deadline]) : deadline;
    // A start in progress is cancelled now; awaited after the servers closed, so its failure is not unhandled.
    const rollback = wasStarted ? undefined : app.stop({ reason, force: forced });
    rollback?.catch(() => {});
    try {
      if (wasStarted && delayMs > 0) await sleep(delayMs, forced, clock).catch(() => {});
      await closeServers(forced);
      await (rollback ?? app.stop({ reason, force: forced }));
    } finally {
      clock.clearTimeout(timer);
      // Nothing is left to shut down: a later signal takes its default action again.
      shutdown.dispose();
    }
    if (deadline.aborted) {
      throw new StartupError(
        'STARTUP_ERR_SHUTDOWN',
        `Shutdown did not finish within timeoutMs (${timeoutMs} ms): the connections still open were destroyed`,
      );
    }
    logger.info('shutdown complete', { reason });
  };

  const shutdown: GracefulShutdown = {
    stop({ reason = 'stop() called', force } = {}) {
      stopping ??= run(reason, force);
      return stopping;
    },
    dispose: () => {},
  };
  if (signals.length > 0) {
    shutdown.dispose = handleSignals(shutdown, {
      signals,
      ...(options.onShutdown ? { onShutdown: options.onShutdown } : {}),
    });
  }
  return shutdown;
}

/**
 * Closes `servers` on shutdown: each stops accepting connections and closes its idle keep-alive ones at once, and
 * resolves once its busy ones are done; when `forced` aborts, every connection still open is destroyed. Call it
 * when the servers are set up: it follows their requests from then on, so that once `isDraining()` every response
 * carries `Connection: close`, and a connection busy when the server closed is closed once its response is done.
 */
export function closeHttpServers(servers: readonly Server[], isDraining: () => boolean): ServerCloser {
  const open = new Map<Server, Set<ServerResponse>>();
  const follow = new Map<Server, (request: IncomingMessage, response: ServerResponse) => void>();
  for (const server of servers) {
    const responses = new Set<ServerResponse>();
    open.set(server, responses);
    const onRequest = (_request: IncomingMessage, response: ServerResponse) => {
      if (isDraining() && !response.headersSent) response.setHeader('connection', 'close');
      responses.add(response);
      response.once('close', () => responses.delete(response));
    };
    follow.set(server, onRequest);
    server.on('request', onRequest);
  }
  const close = async (forced: AbortSignal) => {
    const destroyAll = () => {
      for (const server of servers) server.closeAllConnections();
    };
    forced.addEventListener('abort', destroyAll, { once: true });
    try {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              if (!server.listening) return resolve();
              server.close(() => resolve());
              server.closeIdleConnections();
              for (const response of open.get(server) ?? []) {
                if (!response.headersSent) response.setHeader('connection', 'close');
                // A keep-alive response already under way leaves its connection idle once done: close it then.
                response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
              }
              if (forced.aborted) server.closeAllConnections();
            }),
        ),
      );
    } finally {
      forced.removeEventListener('abort', destroyAll);
    }
  };
  return Object.assign(close, {
    release() {
      for (const [server, onRequest] of follow) server.removeListener('request', onRequest);
    },
  });
}
