import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Stoppable } from '@startup/core';
import { type ProbeHandler, probeHandler } from './probe-handler.js';
import type { ProbeOptions } from './probe-options.js';
import { createProbeRoutes } from './probe-routes.js';
import {
  closeHttpServers,
  gracefulShutdown,
  type ShutdownOptions,
  type StoppableApp,
  shutdownOptionKeys,
} from './shutdown.js';

/** Options of {@link attachProbes}: the probes' and the shutdown's, in one object. */
export interface AttachProbesOptions extends ProbeOptions, ShutdownOptions {
  app: ProbeOptions['app'] & StoppableApp;
}

/** Probes attached to a server, with its graceful shutdown. */
export interface AttachedProbes extends Stoppable {
  /** The handler answering the probe paths (phase, drain, routes). */
  readonly handler: ProbeHandler;
  /**
   * Runs the shutdown once (later calls return the same promise): readiness fails, `delayMs` passes, the server
   * stops accepting connections, in-flight requests finish, keep-alive connections close, then `app.stop()`.
   */
  stop(options?: { reason?: string; force?: AbortSignal }): Promise<void>;
  /** Removes the signal handlers and gives the server its own request listeners back. */
  dispose(): void;
}

/**
 * Serves the probes on an existing `http.Server` (an Express app's `app.listen()`, a `createServer(handler)`…),
 * in front of its request listeners: the probe paths are answered here, every other request reaches the server's
 * own listeners as before. Ties the graceful shutdown to the server and, by default, to SIGTERM and SIGINT. Attach
 * after the server's listeners were added. Throws `STARTUP_ERR_INVALID_OPTION` naming the field for a bad option.
 * @example attachProbes(expressApp.listen(3000), { app, monitor, apiKey: process.env.API_KEY, delayMs: 5000 });
 */
export function attachProbes(server: Server, options: AttachProbesOptions): AttachedProbes {
  const routes = createProbeRoutes(options, shutdownOptionKeys);
  const handler = probeHandler(routes);
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    if (handler(request, response)) return;
    if (listeners.length === 0) {
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      response.end(
        JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'Not found' }),
      );
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  };
  server.removeAllListeners('request');
  server.on('request', onRequest);
  const shutdown = gracefulShutdown(
    options.app,
    routes,
    closeHttpServers([server], () => routes.draining),
    pick(options),
  );
  return {
    handler,
    stop: (stopOptions) => shutdown.stop(stopOptions),
    dispose() {
      shutdown.dispose();
      server.removeListener('request', onRequest);
      for (const listener of listeners) server.on('request', listener);
    },
  };
}

/** The shutdown's own options out of the one object. */
export function pick(options: ShutdownOptions): ShutdownOptions {
  const out: Record<string, unknown> = {};
  for (const key of shutdownOptionKeys) if (options[key] !== undefined) out[key] = options[key];
  return out as ShutdownOptions;
}
