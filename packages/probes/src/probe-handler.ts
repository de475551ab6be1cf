import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProbePhase } from './phase.js';
import type { ProbeOptions } from './probe-options.js';
import { createProbeRoutes, type ProbeResponse, type ProbeRoutes } from './probe-routes.js';

/** Express/Connect's `next`. */
export type NextFunction = (error?: unknown) => void;

/**
 * A request handler serving the probes. Returns `true` when it answers the request; for any other path it
 * calls `next()` when given one and returns `false`, so it mounts as Express/Connect middleware
 * (`app.use(probes)`) and inside a plain `node:http` handler (`if (probes(req, res)) return;`) alike.
 */
export interface ProbeHandler {
  (request: IncomingMessage, response: ServerResponse, next?: NextFunction): boolean;
  /** The routes it serves (paths, phase, drain). */
  readonly routes: ProbeRoutes;
  /** The phase the probes report. */
  readonly phase: ProbePhase;
  /**
   * Fails readiness from now on, and closes each connection after the response it carries (`Connection: close`
   * on every response that passes through this handler). {@link attachProbes} and {@link serveProbes} call it
   * on shutdown; call it yourself when you drive the shutdown. Idempotent.
   */
  drain(): void;
}

const notAllowed: ProbeResponse = {
  statusCode: 405,
  headers: { 'content-type': 'application/json; charset=utf-8', allow: 'GET, HEAD' },
  body: JSON.stringify({
    statusCode: 405,
    code: 'METHOD_NOT_ALLOWED',
    error: 'Method Not Allowed',
    message: 'Probes answer GET and HEAD only',
  }),
};

/**
 * A `(req, res, next?)` handler serving `/health`, `/health/live`, `/health/ready`, `/health/startup`,
 * `/api/v1/stats` and, with a monitor, `/metrics` and `/startup` (see {@link ProbeOptions} for the options and
 * {@link probeDefaults} for the paths). Other methods than GET and HEAD on those paths get 405. No response echoes
 * the request. Throws `STARTUP_ERR_INVALID_OPTION` naming the field for a bad option.
 * @example app.use(createProbeHandler({ app: startup, monitor, apiKey: process.env.API_KEY }));
 */
export function createProbeHandler(options: ProbeOptions): ProbeHandler {
  return probeHandler(createProbeRoutes(options));
}

/** The node:http handler of routes created elsewhere (with the options of a server or a shutdown). */
export function probeHandler(routes: ProbeRoutes): ProbeHandler {
  const handle = (request: IncomingMessage, response: ServerResponse, next?: NextFunction): boolean => {
    if (routes.draining && !response.headersSent) response.setHeader('connection', 'close');
    const route = routes.match(pathOf(request.url));
    if (route === undefined) {
      next?.();
      return false;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, notAllowed);
      return true;
    }
    const key = request.headers['x-api-key'];
    void routes.respond(route, { apiKey: typeof key === 'string' ? key : undefined }).then((answer) => {
      send(response, answer);
    });
    return true;
  };
  return Object.defineProperties(handle, {
    routes: { value: routes, enumerable: true },
    phase: { get: () => routes.phase, enumerable: true },
    drain: { value: () => routes.drain(), enumerable: true },
  }) as ProbeHandler;
}

/** The path of a request target, without its query string. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

function send(response: ServerResponse, answer: ProbeResponse): void {
  // The client may have gone while the answer was computed: nothing is left to write to.
  if (response.headersSent || response.destroyed) return;
  response.writeHead(answer.statusCode, answer.headers);
  response.end(answer.body);
}
