import { invalidOption, StartupError } from './errors.js';
import type { AnyPlugin } from './plugin.js';

/** The validated dependency graph: index-based adjacency, built once in O(V + E). */
export interface PluginGraph {
  readonly plugins: readonly AnyPlugin[];
  readonly index: ReadonlyMap<string, number>;
  /** deps[i]: indexes of the plugins that plugin i depends on. */
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
      throw new StartupError(
        'STARTUP_ERR_DUPLICATE_PLUGIN',
        `Two plugins are named "${plugin.name}"; names must be unique`,
        {
          plugin: plugin.name,
          retryable: false,
        },
      );
    }
    index.set(plugin.name, i);
  });
  const deps = plugins.map(() => [] as number[]);
  const dependents = plugins.map(() => [] as number[]);
  plugins.forEach((plugin, i) => {
    for (const name of new Set<string>(plugin.dependsOn ?? [])) {
      const j = index.get(name);
      if (j === undefined) {
        throw new StartupError(
          'STARTUP_ERR_UNKNOWN_DEPENDENCY',
          `Plugin "${plugin.name}" depends on "${name}", which is not among the plugins given; add it or remove the dependency`,
          { plugin: plugin.name, retryable: false },
        );
      }
      if (plugins[j]!.optional && !plugin.optional) {
        throw new StartupError(
          'STARTUP_ERR_INVALID_OPTION',
          `Required plugin "${plugin.name}" depends on optional plugin "${name}"; mark "${plugin.name}" optional too, or "${name}" required`,
          { plugin: plugin.name, retryable: false },
        );
      }
      deps[i]!.push(j);
      dependents[j]!.push(i);
    }
  });
  const cycle = findCycle(deps);
  if (cycle) {
    const names = cycle.map((i) => plugins[i]!.name);
    throw new StartupError('STARTUP_ERR_DEPENDENCY_CYCLE', `Dependency cycle: ${names.join(' → ')}`, {
      plugin: names[0],
      retryable: false,
    });
  }
  return { plugins, index, deps, dependents };
}

function checkShape(plugin: AnyPlugin, i: number): void {
  if (typeof plugin !== 'object' || plugin === null)
    throw invalidOption(`plugins[${i}]`, 'a plugin object', plugin);
  if (typeof plugin.name !== 'string' || plugin.name.length === 0) {
    throw invalidOption(`plugins[${i}].name`, 'a non-empty string', plugin.name);
  }
  if (typeof plugin.init !== 'function') throw invalidOption('init', 'a function', plugin.init, plugin.name);
  if (
    plugin.dependsOn !== undefined &&
    (!Array.isArray(plugin.dependsOn) || plugin.dependsOn.some((d) => typeof d !== 'string'))
  ) {
    throw invalidOption('dependsOn', 'an array of plugin names', plugin.dependsOn, plugin.name);
  }
  for (const key of ['close', 'healthCheck'] as const) {
    if (plugin[key] !== undefined && typeof plugin[key] !== 'function') {
      throw invalidOption(key, 'a function', plugin[key], plugin.name);
    }
  }
}

/** A cycle as a list of indexes whose first element is repeated at the end, or undefined. Iterative DFS, O(V + E). */
function findCycle(deps: readonly number[][]): number[] | undefined {
  const state = new Uint8Array(deps.length); // 0 new, 1 on stack, 2 done
  const parent = new Int32Array(deps.length).fill(-1);
  for (let root = 0; root < deps.length; root++) {
    if (state[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, edge] = top;
      const next = deps[node]![edge];
      if (next === undefined) {
        state[node] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      if (state[next] === 1) {
        const cycle = [next];
        for (let at = node; at !== next; at = parent[at]!) cycle.push(at);
        cycle.push(next);
        return cycle.reverse();
      }
      if (state[next] === 0) {
        state[next] = 1;
        parent[next] = node;
        stack.push([next, 0]);
      }
    }
  }
  return undefined;
}
