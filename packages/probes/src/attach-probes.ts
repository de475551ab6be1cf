import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Stoppable } from '@startup/core';
import { invalidOption } from '@startup/core/plugin-kit';
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

/**
 * Options of {@link attachProbes}, in one object: the probes' options (served in front of the server's own
 * listeners), or `handler`, a {@link ProbeHandler} you mounted yourself (`expressApp.use(handler)`), whose drain
 * is then tied to the server; and the shutdown's options.
 */
export type AttachProbesOptions = (
  | (ProbeOptions & { app: ProbeOptions['app'] & StoppableApp; handler?: undefined })
  | { handler: ProbeHandler }
) &
  ShutdownOptions;

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

const owner = '@startup/probes';
const notFound = JSON.stringify({
  statusCode: 404,
  code: 'NOT_FOUND',
  error: 'Not Found',
  message: 'Not found',
});

/**
 * Ties the probes and the graceful shutdown to an existing `http.Server` (an Express app's `app.listen()`, a
 * `createServer(handler)`…) and, by default, to SIGTERM and SIGINT. Given probe options, it serves the probes in
 * front of the server's request listeners (attach after adding them): the probe paths are answered here, every
 * other request reaches the server's own listeners as before. Given `handler`, the one you mounted, it only drains
 * it with the server. Throws `STARTUP_ERR_INVALID_OPTION` naming the field for a bad option.
 * @example attachProbes(expressApp.listen(3000), { app, monitor, apiKey: process.env.API_KEY, delayMs: 5000 });
 */
export function attachProbes(server: Server, options: AttachProbesOptions): AttachedProbes {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('options', 'an object', options, owner);
  const mounted = options.handler !== undefined;
  let handler: ProbeHandler;
  if (mounted) {
    const given = options.handler;
    if (typeof given !== 'function' || typeof given.routes?.match !== 'function') {
      throw invalidOption('handler', 'a handler from createProbeHandler()', given, owner);
    }
    for (const key of Object.keys(options)) {
      if (key !== 'handler' && !(shutdownOptionKeys as readonly string[]).includes(key)) {
        throw invalidOption(
          key,
          `no probe option besides handler (give them to createProbeHandler)`,
          '(set)',
          owner,
        );
      }
    }
    handler = given;
  } else {
    handler = probeHandler(createProbeRoutes(options as ProbeOptions, [...shutdownOptionKeys, 'handler']));
  }
  const { routes } = handler;
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    if (handler(request, response)) return;
    if (listeners.length === 0) {
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      response.end(notFound);
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  };
  if (!mounted) {
    server.removeAllListeners('request');
    server.on('request', onRequest);
  }
  const app = routes.options.app as ProbeOptions['app'] & StoppableApp;
  const closer = closeHttpServers([server], () => routes.draining);
  const shutdown = gracefulShutdown(app, routes, closer, pick(options));
  return {
    handler,
    stop: (stopOptions) => shutdown.stop(stopOptions),
    dispose() {
      shutdown.dispose();
      closer.release();
      if (mounted) return;
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
