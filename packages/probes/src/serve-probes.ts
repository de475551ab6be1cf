import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stoppable } from '@startup/core';
import { checkInteger, checkString, invalidOption } from '@startup/core/plugin-kit';
import { pick } from './attach-probes.js';
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

/** Options of {@link serveProbes}: where to listen, the probes' and the shutdown's options, in one object. */
export interface ServeProbesOptions extends ProbeOptions, ShutdownOptions {
  app: ProbeOptions['app'] & StoppableApp;
  /** The management port; 0 picks a free one (see {@link ServedProbes.port}). Defaults to 9000. */
  port?: number;
  /** The interface to listen on. Defaults to every interface (the kubelet probes the pod's address). */
  host?: string;
  /**
   * The application's own servers, drained with the probe server on shutdown: they stop accepting connections
   * after `delayMs` and their in-flight requests finish before `app.stop()`. Defaults to none.
   */
  servers?: readonly Server[];
}

/** A probe server on its own port, with the graceful shutdown. */
export interface ServedProbes extends Stoppable {
  /** The port it listens on. */
  readonly port: number;
  readonly server: Server;
  readonly handler: ProbeHandler;
  /** Runs the shutdown once (later calls return the same promise); the probe server closes with the others. */
  stop(options?: { reason?: string; force?: AbortSignal }): Promise<void>;
  /**
   * Removes the signal handlers and stops following the other servers' requests, without shutting down (the probe
   * server keeps listening until `stop()` or its own `close()`). A finished `stop()` removes the handlers itself.
   */
  dispose(): void;
}

const owner = '@startup/probes';
const notFound = JSON.stringify({
  statusCode: 404,
  code: 'NOT_FOUND',
  error: 'Not Found',
  message: 'No such probe',
});

/**
 * Serves the probes on a separate management port (lightship-style), so they never compete with the
 * application's traffic and are never exposed where it is. Any other path is a 404 with a fixed body. Resolves
 * once listening. Throws `STARTUP_ERR_INVALID_OPTION` naming the field for a bad option, before listening.
 * @example const probes = await serveProbes({ app, monitor, port: 9000, servers: [apiServer], delayMs: 5000 });
 */
export async function serveProbes(options: ServeProbesOptions): Promise<ServedProbes> {
  const routes = createProbeRoutes(options, [...shutdownOptionKeys, 'port', 'host', 'servers']);
  const port = checkInteger('port', options.port, 9000, { min: 0, max: 65_535, plugin: owner });
  const host = checkString('host', options.host, undefined, { plugin: owner });
  const others = options.servers ?? [];
  if (!Array.isArray(others) || others.some((s) => typeof s?.close !== 'function')) {
    throw invalidOption('servers', 'an array of http.Server', others, owner);
  }
  const handler = probeHandler(routes);
  const server = createServer((request, response) => {
    if (handler(request, response)) return;
    response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    response.end(notFound);
  });
  const closer = closeHttpServers([...others, server], () => routes.draining);
  const shutdown = gracefulShutdown(options.app, routes, closer, pick(options));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (error) {
    shutdown.dispose();
    closer.release();
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    server,
    handler,
    stop: (stopOptions) => shutdown.stop(stopOptions),
    dispose() {
      shutdown.dispose();
      closer.release();
    },
  };
}
