import type { Startup } from '@startup/core';
import { checkKeys, checkSecret, checkString, invalidOption } from '@startup/core/plugin-kit';
import type { Monitor } from '@startup/monitor';

/** What the probes need of an application: core's `createStartup()` result fits. */
export type ProbedApp = Pick<Startup<unknown>, 'state' | 'report' | 'health' | 'liveness' | 'readiness'>;

/** The routes the probes serve, by name. */
export type ProbeRoute = 'health' | 'live' | 'ready' | 'startup' | 'metrics' | 'stats' | 'page';

/** Where each route is served: a path starting with `/`, or `false` to leave it out. */
export type ProbePaths = Record<ProbeRoute, string | false>;

/** Options of {@link createProbeRoutes} and everything built on it. */
export interface ProbeOptions {
  /** The application whose start, health and readiness are served. */
  app: ProbedApp;
  /**
   * Its monitor (create it before `app.start()`). With one, `/health` carries the grade and recommendations of
   * the monitor's analysis, and `/metrics` and the start-up page `/startup` are served; without one they are not.
   */
  monitor?: Monitor;
  /**
   * The key `GET /api/v1/stats` requires in `X-API-Key` (compared in constant time; 401 when missing or wrong).
   * Without one the endpoint answers 403: it is never open. A non-empty string when given.
   */
  apiKey?: string;
  /** The service's name: `serviceId` of `/health` (unless the monitor sets one) and `service` of the stats. */
  service?: string;
  /** `componentType` of each plugin in `/health` (`datastore`, `component`…). Defaults to `component`. */
  componentTypes?: Readonly<Record<string, string>>;
  /** Paths of the routes; each one left out keeps its default (see {@link probeDefaults}), `false` removes it. */
  paths?: Partial<ProbePaths>;
  /**
   * Applied to every body before it is sent, e.g. to mask the service's own secrets in the error messages of
   * `/health` and the stats: a last line of defence (the connectors already mask what they know). Never given
   * anything a client sent. Defaults to none.
   */
  redact?: (body: string) => string;
}

/** The defaults of {@link ProbeOptions}. */
export const probeDefaults: { readonly paths: Readonly<ProbePaths> } = {
  paths: {
    health: '/health',
    live: '/health/live',
    ready: '/health/ready',
    startup: '/health/startup',
    metrics: '/metrics',
    stats: '/api/v1/stats',
    page: '/startup',
  },
};

/** {@link ProbeOptions} checked, with every default filled in. */
export interface ResolvedProbeOptions {
  app: ProbedApp;
  monitor: Monitor | undefined;
  apiKey: string | undefined;
  service: string | undefined;
  componentTypes: Readonly<Record<string, string>>;
  paths: ProbePaths;
  redact: ((body: string) => string) | undefined;
}

/** The option names of {@link ProbeOptions}, for the check of unknown keys. */
export const probeOptionKeys = [
  'app',
  'monitor',
  'apiKey',
  'service',
  'componentTypes',
  'paths',
  'redact',
] as const;

const owner = '@startup/probes';
// A path of plain URL characters, no query, fragment, `..` or doubled slash: matched exactly, never as a pattern.
const pathPattern = /^\/(?:[A-Za-z0-9._~-]+\/)*[A-Za-z0-9._~-]*$/;

/**
 * Checks the options before anything is served: an `app` with `report`, `health`, `liveness` and `readiness`,
 * a non-empty `apiKey`, paths that are plain absolute paths and all different. Throws
 * `STARTUP_ERR_INVALID_OPTION` naming the field. `extraKeys` are the options of the caller (shutdown, port).
 */
export function resolveProbeOptions(
  options: ProbeOptions,
  extraKeys: readonly string[] = [],
): ResolvedProbeOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('options', 'an object', options, owner);
  checkKeys(options, [...probeOptionKeys, ...extraKeys], owner);
  const { app, monitor } = options;
  const appMethods = ['report', 'health', 'liveness', 'readiness'] as const;
  if (typeof app !== 'object' || app === null || appMethods.some((m) => typeof app[m] !== 'function')) {
    throw invalidOption('app', "an application from core's createStartup()", app, owner);
  }
  if (
    monitor !== undefined &&
    (typeof monitor !== 'object' || monitor === null || typeof monitor.analysis !== 'function')
  ) {
    throw invalidOption('monitor', "a monitor from @startup/monitor's createMonitor()", monitor, owner);
  }
  const apiKey = checkSecret('apiKey', options.apiKey, { plugin: owner });
  const service = checkString('service', options.service, undefined, { plugin: owner });
  const componentTypes = options.componentTypes ?? {};
  if (typeof componentTypes !== 'object' || componentTypes === null) {
    throw invalidOption('componentTypes', 'an object of strings by plugin', componentTypes, owner);
  }
  const given = options.paths ?? {};
  if (typeof given !== 'object' || given === null) throw invalidOption('paths', 'an object', given, owner);
  checkKeys(given, Object.keys(probeDefaults.paths), owner, 'paths');
  const paths = { ...probeDefaults.paths, ...given };
  const seen = new Set<string>();
  for (const [route, path] of Object.entries(paths)) {
    if (path === false) continue;
    if (typeof path !== 'string' || path.length > 200 || !pathPattern.test(path) || path.includes('/..')) {
      throw invalidOption(`paths.${route}`, 'an absolute path such as "/health", or false', path, owner);
    }
    if (seen.has(path)) throw invalidOption(`paths.${route}`, 'a path no other route uses', path, owner);
    seen.add(path);
  }
  const { redact } = options;
  if (redact !== undefined && typeof redact !== 'function') {
    throw invalidOption('redact', 'a function from text to text', redact, owner);
  }
  return { app, monitor, apiKey, service, componentTypes, paths, redact };
}
