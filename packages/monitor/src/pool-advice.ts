import type { HealthResult } from '@startup/core';
import { checkInteger } from '@startup/core/plugin-kit';
import type { HistoryEntry } from './history-store.js';
import { printable } from './printable.js';
import type { Recommendation } from './recommend.js';

/** What one health check said of a plugin's connection pool (its `details`: `totalCount`, `idleCount`, `waitingCount`, `max`). */
export interface PoolSample {
  plugin: string;
  /** Connections checked out: `totalCount − idleCount`. */
  inUse: number;
  /** Clients waiting for a connection. */
  waiting: number;
  /** The pool's maximum size, when the connector reports it. */
  max?: number;
}

/**
 * A plugin's pool use over one run of the application, from its start to its shutdown, as the monitor records it
 * with the start's history entry (`HistoryEntry.pools`).
 */
export interface PoolUse {
  plugin: string;
  /** The most connections checked out at once in any health check of the run. */
  peakInUse: number;
  /** The most clients waiting for a connection at once. */
  peakWaiting: number;
  /** The pool's maximum size, when the connector reports it. */
  max?: number;
  /** Health checks the figures come from. */
  checks: number;
}

/**
 * Folds health-check samples into one {@link PoolUse} per plugin (onto `from`, the use so far, left as it is), in
 * the order the plugins were first seen.
 */
export function poolUse(samples: readonly PoolSample[], from: readonly PoolUse[] = []): PoolUse[] {
  const byPlugin = new Map(from.map((use) => [use.plugin, { ...use }]));
  for (const s of samples) {
    const use = byPlugin.get(s.plugin) ?? { plugin: s.plugin, peakInUse: 0, peakWaiting: 0, checks: 0 };
    use.peakInUse = Math.max(use.peakInUse, s.inUse);
    use.peakWaiting = Math.max(use.peakWaiting, s.waiting);
    if (s.max !== undefined) use.max = s.max;
    use.checks++;
    byPlugin.set(s.plugin, use);
  }
  return [...byPlugin.values()];
}

/** Options of {@link poolAdvice}. */
export interface PoolAdviceOptions {
  /** Least samples of a plugin before it is called oversized. Defaults to 20. */
  minSamples?: number;
  /** Headroom kept over the peak in use when suggesting a smaller max: the suggestion is `peak × headroom`. Defaults to 2. */
  headroom?: number;
}

/** The pool figures of every check in `health` that reports `totalCount` and `idleCount` (pg does). */
export function poolSamples(health: HealthResult): PoolSample[] {
  const samples: PoolSample[] = [];
  for (const [plugin, check] of Object.entries(health.checks)) {
    const d = check.details;
    if (typeof d?.totalCount !== 'number' || typeof d.idleCount !== 'number') continue;
    const sample: PoolSample = {
      plugin,
      inUse: Math.max(0, d.totalCount - d.idleCount),
      waiting: typeof d.waitingCount === 'number' ? d.waitingCount : 0,
    };
    if (typeof d.max === 'number') sample.max = d.max;
    samples.push(sample);
  }
  return samples;
}

/**
 * Resource advice from pool figures seen by health checks: a pool whose `max` is more than `headroom` times the most
 * connections ever in use is oversized (each idle connection is held on the server); a pool with clients waiting is
 * too small, or holds connections too long. Recommendations in the shape of {@link recommend}'s.
 */
export function poolAdvice(
  samples: readonly PoolSample[],
  options: PoolAdviceOptions = {},
): Recommendation[] {
  return adviceOver(samples, options, 'health checks');
}

/**
 * {@link poolAdvice} over the runs recorded in a history: each entry's `pools` (the peak in use and waiting between
 * its start and its shutdown) counts as one sample, so "pool max 20, never more than 4 in use over the last 50
 * starts" holds across restarts and replicas. Give it the newest entries (e.g. `history.list(50)`); entries
 * without `pools` (the run has not shut down yet, or an older monitor wrote them) are left out, and `minSamples`
 * counts starts.
 */
export function poolHistoryAdvice(
  entries: readonly HistoryEntry[],
  options: PoolAdviceOptions = {},
): Recommendation[] {
  const samples = entries.flatMap((entry) =>
    (entry.pools ?? []).map((use): PoolSample => {
      const sample: PoolSample = { plugin: use.plugin, inUse: use.peakInUse, waiting: use.peakWaiting };
      if (use.max !== undefined) sample.max = use.max;
      return sample;
    }),
  );
  return adviceOver(samples, options, 'starts');
}

function adviceOver(
  samples: readonly PoolSample[],
  options: PoolAdviceOptions,
  unit: 'health checks' | 'starts',
): Recommendation[] {
  const minSamples = checkInteger('minSamples', options.minSamples, 20);
  const headroom = checkInteger('headroom', options.headroom, 2);
  const byPlugin = new Map<string, PoolSample[]>();
  for (const s of samples) byPlugin.set(s.plugin, [...(byPlugin.get(s.plugin) ?? []), s]);
  const out: Recommendation[] = [];
  for (const [plugin, list] of byPlugin) {
    const name = printable(plugin);
    const peak = Math.max(...list.map((s) => s.inUse));
    const waited = list.filter((s) => s.waiting > 0);
    const max = list.at(-1)!.max;
    const of = `over the last ${list.length} ${unit}`;
    if (waited.length > 0) {
      const most = Math.max(...waited.map((s) => s.waiting));
      out.push({
        severity: 'WARNING',
        code: 'pool-waiting',
        plugin,
        message: `${name}: clients waited for a connection in ${waited.length} of ${list.length} ${unit} (up to ${most} at once), ${peak} in use at most${max === undefined ? '' : ` of max ${max}`}`,
        action: `Raise "${name}" pool max${max === undefined ? '' : ` above ${max}`}, or release connections sooner (long transactions hold them)`,
      });
      continue;
    }
    if (max === undefined || list.length < minSamples) continue;
    const suggested = Math.max(2, peak * headroom);
    if (suggested >= max) continue;
    out.push({
      severity: 'EFFICIENCY',
      code: 'pool-oversized',
      plugin,
      message: `${name}: pool max ${max}, never more than ${peak} in use ${of}`,
      action: `Lower "${name}" pool max to ${suggested} (${headroom} × the peak in use): the database keeps fewer idle connections for this service`,
    });
  }
  return out;
}
