import type { Logger, Stoppable } from '@startup/core';
import {
  createProbeRoutes,
  gracefulShutdown,
  type ProbeOptions,
  type ProbePhase,
  type ProbeRoutes,
  type ShutdownOptions,
  type StoppableApp,
  shutdownOptionKeys,
} from '@startup/probes';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Options of {@link startupPlugin}: the probes' and the shutdown's, in one object. */
export interface StartupPluginOptions extends ProbeOptions, ShutdownOptions {
  app: ProbeOptions['app'] & StoppableApp;
}

/** `fastify.startup`: the probes' phase and the graceful shutdown. */
export interface StartupDecoration extends Stoppable {
  /** The phase the probes report. */
  readonly phase: ProbePhase;
  /** The routes served (paths, drain), shared with `@startup/probes`. */
  readonly routes: ProbeRoutes;
  /**
   * Runs the shutdown once (later calls return the same promise): readiness fails and every response closes its
   * connection, `delayMs` passes, `fastify.close()` lets in-flight requests finish, then its `onClose` hook stops
   * the app. SIGTERM and SIGINT call it by default (see `signals`).
   */
  stop(options?: { reason?: string; force?: AbortSignal }): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Added by `@startup/fastify`. */
    startup: StartupDecoration;
  }
}

const plugin: FastifyPluginAsync<StartupPluginOptions> = async (fastify, options) => {
  // `fastify.register` adds its own options (prefix, logLevel…) to the object: check only ours.
  const own = Object.fromEntries(
    Object.entries(options).filter(([key]) => !['prefix', 'logLevel', 'logSerializers'].includes(key)),
  ) as StartupPluginOptions;
  const routes = createProbeRoutes(own, shutdownOptionKeys);
  for (const [route, path] of Object.entries(routes.paths) as [
    Parameters<ProbeRoutes['respond']>[0],
    string,
  ][]) {
    // Probes are polled every few seconds: logged only when something is wrong.
    fastify.get(path, { logLevel: 'warn' }, async (request, reply) => {
      const key = request.headers['x-api-key'];
      const answer = await routes.respond(route, { apiKey: typeof key === 'string' ? key : undefined });
      return reply.code(answer.statusCode).headers(answer.headers).send(answer.body);
    });
  }
  // Once the drain began, each response closes its connection: a keep-alive client would otherwise hold the
  // server open after the last in-flight request finished.
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (routes.draining) reply.header('connection', 'close');
    return payload;
  });

  let force: AbortSignal | undefined;
  const shutdown = gracefulShutdown(
    own.app,
    routes,
    async (forced) => {
      force = forced;
      const destroyAll = () => fastify.server.closeAllConnections();
      forced.addEventListener('abort', destroyAll, { once: true });
      try {
        const closing = fastify.close();
        // Forced before the close began (a second signal during the delay): no abort event will come.
        if (forced.aborted) destroyAll();
        await closing;
      } finally {
        forced.removeEventListener('abort', destroyAll);
      }
    },
    { logger: pinoAdapter(fastify.log), ...pickShutdown(own) },
  );
  fastify.addHook('onClose', async () => {
    shutdown.dispose();
    // Closed directly (not through `fastify.startup.stop()`): readiness fails from now on all the same.
    routes.drain();
    await own.app.stop({ reason: 'fastify closed', ...(force ? { force } : {}) });
  });
  const decoration: StartupDecoration = {
    get phase() {
      return routes.phase;
    },
    routes,
    stop: (stopOptions) => shutdown.stop(stopOptions),
  };
  fastify.decorate('startup', decoration);
};

/**
 * The Fastify plugin of a `@startup/core` application: registers `/health`, `/health/live`, `/health/ready`,
 * `/health/startup`, `/api/v1/stats` and, with a monitor, `/metrics` and the start-up page `/startup` through
 * Fastify's router (the same answers as `@startup/probes`), decorates `fastify.startup`, stops the app in an
 * `onClose` hook, and drains on SIGTERM/SIGINT: readiness fails first, `delayMs` passes, in-flight requests finish,
 * keep-alive connections get `Connection: close`, then the app stops. Throws `STARTUP_ERR_INVALID_OPTION` naming
 * the field for a bad option, at registration.
 * @example await fastify.register(startupPlugin, { app, monitor, apiKey: process.env.API_KEY, delayMs: 5000 });
 */
export const startupPlugin = fp(plugin, { name: '@startup/fastify', fastify: '5.x' });

function pickShutdown(options: ShutdownOptions): ShutdownOptions {
  const out: Record<string, unknown> = {};
  for (const key of shutdownOptionKeys) if (options[key] !== undefined) out[key] = options[key];
  return out as ShutdownOptions;
}

/** Core's logger shape (message, fields) onto Fastify's pino (fields, message). */
function pinoAdapter(log: FastifyBaseLogger): Logger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}
