import type { HealthResult } from '@startup/core';
import type { HistoryEntry, HistoryStore } from './history-store.js';
import { type PoolUse, poolSamples, poolUse } from './pool-advice.js';

/**
 * The pool use of one run, from the start to the shutdown: the monitor folds in each health run after the start
 * was recorded, and at the shutdown amends the start's history entry with it (`HistoryEntry.pools`), so pool
 * advice can be drawn over many starts. Internal.
 */
export interface PoolRecord {
  /** The start's entry, as appended. */
  started(entry: HistoryEntry): void;
  /** A health run; ignored before the start was recorded. */
  health(result: HealthResult): void;
  /** Amends the entry with the use seen so far, if the store can and there is any. */
  flush(): Promise<void>;
}

/** A {@link PoolRecord} on `history`. */
export function poolRecord(history: HistoryStore): PoolRecord {
  let entry: HistoryEntry | undefined;
  let use: PoolUse[] = [];
  return {
    started(appended) {
      entry = appended;
      use = [];
    },
    health(result) {
      if (entry) use = poolUse(poolSamples(result), use);
    },
    async flush() {
      if (!entry || use.length === 0 || !history.amend) return;
      await history.amend({ ...entry, pools: use });
    },
  };
}
