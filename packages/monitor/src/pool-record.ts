import type { HealthResult } from '@startup/core';
import type { HistoryEntry, HistoryStore } from './history-store.js';
import { type PoolUse, poolSamples, poolUse } from './pool-advice.js';

/**
 * The pool use of one run, from the start on: the monitor folds in each health run after the start was recorded
 * and amends the start's history entry (`HistoryEntry.pools`) while the run goes on, so pool advice can be drawn
 * over many starts. It writes when a figure grows (a peak, a pool's max, a new pool) and when the number of health
 * checks reaches a power of two, so a day of 10 s probes costs about fourteen writes, and a pod that is killed, or
 * whose pool is already closing at the shutdown, has still left its use behind. Internal.
 */
export interface PoolRecord {
  /** The start's entry, as appended. */
  started(entry: HistoryEntry): void;
  /** A health run; ignored before the start was recorded. True when the entry is worth amending now. */
  health(result: HealthResult): boolean;
  /**
   * Amends the entry with the use seen so far, if the store can, there is any and it changed since last written;
   * `grownOnly` (at the shutdown) skips a write that would only update the check count.
   */
  flush(grownOnly?: boolean): Promise<void>;
}

/** Peaks and sizes, without the check count: what makes a write worth it at once. */
const shape = (use: readonly PoolUse[]) =>
  use.map((u) => `${u.plugin}\u0000${u.peakInUse}\u0000${u.peakWaiting}\u0000${u.max ?? ''}`).join('\u0001');

/** A {@link PoolRecord} on `history`. */
export function poolRecord(history: HistoryStore): PoolRecord {
  let entry: HistoryEntry | undefined;
  let use: PoolUse[] = [];
  let checks = 0;
  let written = '';
  let writtenChecks = 0;
  return {
    started(appended) {
      entry = appended;
      use = [];
      checks = 0;
      written = '';
      writtenChecks = 0;
    },
    health(result) {
      if (!entry || !history.amend) return false;
      const before = shape(use);
      use = poolUse(poolSamples(result), use);
      if (use.length === 0) return false;
      checks++;
      return shape(use) !== before || (checks & (checks - 1)) === 0;
    },
    async flush(grownOnly = false) {
      if (!entry || use.length === 0 || !history.amend) return;
      const now = shape(use);
      if (now === written && (grownOnly || checks === writtenChecks)) return;
      written = now;
      writtenChecks = checks;
      await history.amend({ ...entry, pools: use });
    },
  };
}
