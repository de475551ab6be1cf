import { seededRandom } from '../seeded-random.js';

/** A synthetic plugin: a name, the plugins it depends on (by index, always earlier ones) and its delay. */
export interface GraphNode {
  name: string;
  deps: number[];
  delayMs: number;
}

/** Options of {@link randomGraph}. */
export interface RandomGraphOptions {
  /** Plugins. */
  size: number;
  /** Most dependencies of one plugin, each picked uniformly among the earlier ones. Defaults to 3. */
  maxDeps?: number;
  /** Delays are whole milliseconds, uniform in this range. Defaults to [1, 5]. */
  delayMs?: readonly [number, number];
  /** Defaults to 42. */
  seed?: number;
}

/** A random dependency graph (a DAG: dependencies point to earlier plugins), the same for a given seed. */
export function randomGraph(options: RandomGraphOptions): GraphNode[] {
  const random = seededRandom(options.seed ?? 42);
  const maxDeps = options.maxDeps ?? 3;
  const [low, high] = options.delayMs ?? [1, 5];
  return Array.from({ length: options.size }, (_, i) => {
    const deps = new Set<number>();
    const wanted = i === 0 ? 0 : Math.floor(random() * (maxDeps + 1));
    for (let k = 0; k < wanted; k++) deps.add(Math.floor(random() * i));
    return { name: `p${i}`, deps: [...deps], delayMs: low + Math.floor(random() * (high - low + 1)) };
  });
}

/** The longest chain of delays through the graph (the least wall time any runner can reach), and its length. */
export function graphCriticalPath(nodes: readonly GraphNode[]): { ms: number; plugins: number } {
  const finish: number[] = [];
  const length: number[] = [];
  for (const [i, node] of nodes.entries()) {
    let start = 0;
    let chain = 0;
    for (const d of node.deps) {
      if (finish[d]! > start || (finish[d] === start && length[d]! > chain)) {
        start = finish[d]!;
        chain = length[d]!;
      }
    }
    finish[i] = start + node.delayMs;
    length[i] = chain + 1;
  }
  let best = 0;
  for (let i = 1; i < nodes.length; i++) if (finish[i]! > finish[best]!) best = i;
  return { ms: finish[best] ?? 0, plugins: length[best] ?? 0 };
}

/** Groups the plugins by depth (longest chain of dependencies before them): what a level-by-level loop awaits. */
export function graphLevels(nodes: readonly GraphNode[]): number[][] {
  const depth: number[] = [];
  const levels: number[][] = [];
  for (const [i, node] of nodes.entries()) {
    depth[i] = node.deps.reduce((d, dep) => Math.max(d, depth[dep]! + 1), 0);
    const level = levels[depth[i]!] ?? [];
    level.push(i);
    levels[depth[i]!] = level;
  }
  return levels;
}
