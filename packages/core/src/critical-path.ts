import type { PluginReport } from './report.js';

/**
 * When a plugin settled (became ready, failed, was skipped or aborted), in milliseconds since the start
 * began; `nowMs` for one still starting; `undefined` for one that has not begun.
 */
export function settledAt(plugin: PluginReport, nowMs: number): number | undefined {
  return plugin.readyMs ?? plugin.endMs ?? (plugin.status === 'starting' ? nowMs : undefined);
}

/**
 * The chain of plugins that decided the wall time, first to last: the plugin that settled last, then,
 * repeatedly, the dependency of the current plugin that settled last (the one it waited for). Plugins that
 * never began (pending, skipped, aborted while waiting) are left out; one still starting counts as
 * settling at `nowMs` (milliseconds since the start began; pass the report's `wallMs`). Ties go to the
 * plugin listed first. `endMs` is when the chain's last plugin settled, in milliseconds since the start
 * began (0 for an empty chain). O(V + E); a report whose `dependsOn` forms a cycle still ends.
 */
export function criticalPath(
  plugins: readonly PluginReport[],
  nowMs: number,
): { path: string[]; endMs: number } {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  let last: PluginReport | undefined;
  let endMs = -Infinity;
  for (const p of plugins) {
    const at = settledAt(p, nowMs);
    if (at !== undefined && p.depsReadyMs !== undefined && at > endMs) {
      last = p;
      endMs = at;
    }
  }
  const path: string[] = [];
  const seen = new Set<string>();
  for (let at = last; at !== undefined && !seen.has(at.name); ) {
    seen.add(at.name);
    path.push(at.name);
    let gate: PluginReport | undefined;
    let gateAt = -Infinity;
    for (const name of at.dependsOn) {
      const dep = byName.get(name);
      const depAt = dep === undefined ? undefined : settledAt(dep, nowMs);
      if (depAt !== undefined && depAt > gateAt) {
        gate = dep;
        gateAt = depAt;
      }
    }
    at = gate;
  }
  return { path: path.reverse(), endMs: last === undefined ? 0 : endMs };
}
