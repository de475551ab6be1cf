import type { PluginReport } from '@startup/core';

/**
 * When a plugin settled (ready, failed, skipped or aborted), in milliseconds since the start began;
 * `wallMs` for one still starting; undefined for one that has not begun.
 */
export function settledAt(p: PluginReport, wallMs: number): number | undefined {
  if (p.readyMs !== undefined) return p.readyMs;
  if (p.endMs !== undefined) return p.endMs;
  return p.status === 'starting' ? wallMs : undefined;
}

/**
 * The chain of plugins that decided the wall time, first to last: the plugin that settled last, then,
 * repeatedly, the dependency of the current plugin that became ready last (the one it waited for).
 * Plugins that never began (skipped, pending) are left out.
 */
export function criticalChain(plugins: readonly PluginReport[], wallMs: number): string[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  let last: PluginReport | undefined;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const p of plugins) {
    const at = settledAt(p, wallMs);
    if (at === undefined || p.depsReadyMs === undefined) continue;
    if (at > lastAt) {
      last = p;
      lastAt = at;
    }
  }
  const chain: string[] = [];
  const seen = new Set<string>();
  while (last !== undefined && !seen.has(last.name)) {
    seen.add(last.name);
    chain.unshift(last.name);
    let next: PluginReport | undefined;
    let nextAt = Number.NEGATIVE_INFINITY;
    for (const name of last.dependsOn) {
      const dep = byName.get(name);
      const at = dep === undefined ? undefined : settledAt(dep, wallMs);
      if (dep !== undefined && at !== undefined && at > nextAt) {
        next = dep;
        nextAt = at;
      }
    }
    last = next;
  }
  return chain;
}
