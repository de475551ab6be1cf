import type { RetryPolicy } from '@startup/core';
import { seededRandom } from '../seeded-random.js';
import { walkAttempts } from './attempt-schedule.js';

/** A fleet losing its dependency at time 0 and reconnecting, in virtual time. */
export interface HerdScenario {
  /** Replicas. Defaults to 10000. */
  replicas?: number;
  /** The dependency refuses every attempt before this time, in milliseconds, and accepts all after. Defaults to 30000. */
  outageMs?: number;
  /** Width of the buckets the load is counted in, in milliseconds. Defaults to 100. */
  bucketMs?: number;
  /** Duration of one attempt (a refused or successful connect), in milliseconds. Defaults to 1. */
  attemptMs?: number;
  /** Seed of the random source; the same seed gives the same figures. Defaults to 1. */
  seed?: number;
}

/** What the dependency sees while the fleet reconnects. */
export interface HerdOutcome {
  /** Most attempts in one bucket from the end of the outage on: the load the recovering server takes. */
  peakAtRecovery: number;
  /** When the last replica is ready, in milliseconds since the outage began. */
  allReadyMs: number;
  /** Attempts of all replicas over the whole outage. */
  attempts: number;
}

/**
 * Every replica retries with `policy` from time 0 (all lost the connection at once: the worst case), with
 * no elapsed-time budget (a fleet reconnecting gives up never). The server has no capacity limit: the
 * peak is the load it must absorb.
 */
export function simulateHerd(policy: RetryPolicy, scenario: HerdScenario = {}): HerdOutcome {
  const replicas = scenario.replicas ?? 10_000;
  const outageMs = scenario.outageMs ?? 30_000;
  const bucketMs = scenario.bucketMs ?? 100;
  const attemptMs = scenario.attemptMs ?? 1;
  const random = seededRandom(scenario.seed ?? 1);
  const buckets = new Map<number, number>();
  let attempts = 0;
  let allReadyMs = 0;
  const count = (atMs: number) => {
    attempts++;
    if (atMs < outageMs) return;
    const bucket = Math.floor(atMs / bucketMs);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  };
  for (let i = 0; i < replicas; i++) {
    allReadyMs = Math.max(allReadyMs, walkAttempts(policy, outageMs, random, attemptMs, count));
  }
  return { peakAtRecovery: Math.max(0, ...buckets.values()), allReadyMs, attempts };
}
