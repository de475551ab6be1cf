// The HTTP server: plain node:http, with the probes, metrics, stats and start-up page of @startup/probes in front
// of the feature.
import { createServer as createHttpServer } from 'node:http';
import { attachProbes } from '@startup/probes';
import { roundTrip } from './feature.js';
import { logger } from './logger.js';

/** The server of `app`; `options` are @startup/probes' (monitor, apiKey, shutdown timings, signals). */
export async function createServer(app, config, options) {
  const log = logger(config.logLevel);
  const server = createHttpServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/api/v1/round-trip') {
      return reply(response, 404, { error: 'Not found' });
    }
    // The feature needs the resources: until the start completed it answers 503, as readiness does.
    if (app.state !== 'ready' && app.state !== 'degraded')
      return reply(response, 503, { error: 'not started' });
    roundTrip(app.resources, config).then(
      (answer) => reply(response, 200, answer),
      (error) => {
        log.error('round trip failed', { err: error.message });
        reply(response, 500, { error: 'round trip failed' });
      },
    );
  });
  const probes = attachProbes(server, { app, logger: log, ...options });
  return {
    log,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve(server.address().port));
      }),
    /** The drain: readiness fails, SHUTDOWN_DELAY_MS, in-flight requests finish, then the app stops. */
    stop: () => probes.stop(),
  };
}

function reply(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
