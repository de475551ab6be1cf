// The HTTP server: Fastify, with the probes, metrics, stats and start-up page of @startup/fastify, and the feature.
import { startupPlugin } from '@startup/fastify';
import Fastify from 'fastify';
import { roundTrip } from './feature.js';

/** The server of `app`; `options` are @startup/fastify's (monitor, apiKey, shutdown timings, signals). */
export async function createServer(app, config, options) {
  const server = Fastify({ logger: { level: config.logLevel }, return503OnClosing: true });
  await server.register(startupPlugin, { app, ...options });
  // The feature needs the resources: until the start completed it answers 503, as readiness does.
  server.get('/api/v1/round-trip', async (_request, reply) =>
    app.state === 'ready' || app.state === 'degraded'
      ? roundTrip(app.resources, config)
      : reply.code(503).send({ error: 'not started' }),
  );
  return {
    log: server.log,
    async listen() {
      await server.listen({ port: config.port, host: config.host });
      return server.server.address().port;
    },
    /** The drain: readiness fails, SHUTDOWN_DELAY_MS, in-flight requests finish, then the app stops. */
    stop: () => server.startup.stop(),
  };
}
