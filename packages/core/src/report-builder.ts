import type { ErrorInfo } from './errors.js';
import type { PluginReport, StartupReport, StartupStatus } from './report.js';
import type { Slot } from './slot.js';

/** A deep copy of the slots' reports with totals and the critical path. Internal. */
export function buildReport(
  slots: readonly Slot[],
  status: StartupStatus,
  startedAtWall: number,
  wallMs: number,
  error: ErrorInfo | undefined,
): StartupReport {
  const plugins: PluginReport[] = slots.map((s) => structuredClone(s.report));
  const { path, endMs } = criticalPath(plugins);
  const report: StartupReport = {
    version: 1,
    status,
    startedAt: new Date(startedAtWall).toISOString(),
    wallMs,
    sumMs: plugins.reduce((sum, p) => sum + (p.durationMs ?? 0), 0),
    criticalPath: path,
    criticalPathMs: endMs,
    plugins,
  };
  if (error) report.error = error;
  return report;
}

/**
 * The chain that decided the wall time: from the plugin that settled last, walk back through the
 * dependency that became ready last (the one it was waiting for). O(V + E).
 */
export function criticalPath(plugins: readonly PluginReport[]): { path: string[]; endMs: number } {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const end = (p: PluginReport) => p.readyMs ?? (p.status === 'skipped' ? undefined : p.endMs);
  let last: PluginReport | undefined;
  for (const p of plugins) {
    const e = end(p);
    if (e !== undefined && (last === undefined || e > end(last)!)) last = p;
  }
  if (!last) return { path: [], endMs: 0 };
  const path = [last.name];
  for (let at = last; ; ) {
    let gate: PluginReport | undefined;
    for (const name of at.dependsOn) {
      const dep = byName.get(name);
      if (dep?.readyMs !== undefined && (gate === undefined || dep.readyMs > gate.readyMs!)) gate = dep;
    }
    if (!gate) break;
    path.push(gate.name);
    at = gate;
  }
  return { path: path.reverse(), endMs: end(last)! };
}
