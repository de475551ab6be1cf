import { invalidOption, permanentError } from './errors.js';
import { checkKeys } from './options.js';
import type { AnyPlugin } from './plugin.js';

/** The validated dependency graph: index-based adjacency, built once in O(V + E). */
export interface PluginGraph {
  readonly index: ReadonlyMap<string, number>;
  /** deps[i]: indexes of the plugins that plugin i depends on (duplicates removed, in given order). */
  readonly deps: readonly number[][];
  /** dependents[i]: indexes of the plugins that depend on plugin i. */
  readonly dependents: readonly number[][];
}

/**
 * Checks the plugin list before anything starts: shape of each plugin, duplicate names, unknown dependencies,
 * required plugins depending on optional ones, and cycles (the error names the cycle).
 */
export function buildGraph(plugins: readonly AnyPlugin[]): PluginGraph {
  if (!Array.isArray(plugins)) throw invalidOption('plugins', 'an array of plugins', plugins);
  const index = new Map<string, number>();
  plugins.forEach((plugin, i) => {
    checkShape(plugin, i);
    if (index.has(plugin.name)) {
      throw permanentError(
        'STARTUP_ERR_DUPLICATE_PLUGIN',
        `Two plugins are named "${plugin.name}"; rename one`,
        plugin.name,
      );
    }
    index.set(plugin.name, i);
  });
  const deps = plugins.map(() => [] as number[]);
  const dependents = plugins.map(() => [] as number[]);
  plugins.forEach(({ name, optional, dependsOn = [] }, i) => {
    for (const dep of new Set<string>(dependsOn)) {
      const j = index.get(dep);
      if (j === undefined) {
        const message = `Plugin "${name}" depends on unknown "${dep}"; add it or drop the dependency`;
        throw permanentError('STARTUP_ERR_UNKNOWN_DEPENDENCY', message, name);
      }
      if (plugins[j]!.optional && !optional) {
        const message = `Required "${name}" depends on optional "${dep}"; make both required or both optional`;
        throw permanentError('STARTUP_ERR_INVALID_OPTION', message, name);
      }
      deps[i]!.push(j);
      dependents[j]!.push(i);
    }
  });
  const cycle = findCycle(deps, dependents).map((i) => plugins[i]!.name);
  if (cycle.length > 0) {
    const message = `Dependency cycle: ${cycle.join(' → ')}; remove one dependency`;
    throw permanentError('STARTUP_ERR_DEPENDENCY_CYCLE', message, cycle[0]);
  }
  return { index, deps, dependents };
}

const pluginKeys = [
  'name',
  'dependsOn',
  'optional',
  'init',
  'close',
  'healthCheck',
  'retry',
  'breaker',
  'timeouts',
  'bulkhead',
];

function checkShape(plugin: AnyPlugin, i: number): void {
  if (typeof plugin !== 'object' || plugin === null) {
    throw invalidOption(`plugins[${i}]`, 'a plugin object', plugin);
  }
  const { name, dependsOn, optional } = plugin;
  // Names reach logs, terminals and metrics labels: no control, line-breaking or bidirectional characters.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it rejects
  const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  if (typeof name !== 'string' || name.trim() === '' || unprintable.test(name)) {
    throw invalidOption(`plugins[${i}].name`, 'a non-blank string with no control characters', name);
  }
  checkKeys(plugin, pluginKeys, name);
  if (optional !== undefined && typeof optional !== 'boolean') {
    throw invalidOption('optional', 'true or false', optional, name);
  }
  if (
    dependsOn !== undefined &&
    !(Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === 'string'))
  ) {
    throw invalidOption('dependsOn', 'an array of plugin names', dependsOn, name);
  }
  for (const key of ['init', 'close', 'healthCheck'] as const) {
    const fn = plugin[key];
    if (typeof fn !== 'function' && (key === 'init' || fn !== undefined)) {
      throw invalidOption(key, 'a function', fn, name);
    }
  }
}

/**
 * A cycle as indexes whose first is repeated at the end, or `[]`. Peels off plugins whose dependencies are
 * all peeled (Kahn, O(V + E)); every plugin left waits on another one left, so following those must loop.
 */
function findCycle(deps: readonly number[][], dependents: readonly number[][]): number[] {
  const waiting = deps.map((d) => d.length);
  const free = waiting.flatMap((n, i) => (n === 0 ? [i] : []));
  for (const i of free) for (const j of dependents[i]!) if (--waiting[j]! === 0) free.push(j);
  let at = waiting.findIndex((n) => n > 0);
  if (at < 0) return [];
  const path: number[] = [];
  // Where each plugin of the walk stands in `path`.
  const position: number[] = [];
  while (position[at] === undefined) {
    position[at] = path.length;
    path.push(at);
    at = deps[at]!.find((j) => waiting[j]! > 0)!;
  }
  return [...path.slice(position[at]), at];
}
