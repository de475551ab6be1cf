import type { RetryPolicy } from '@startup/core';
import { seededRandom } from '../seeded-random.js';
import { peakInWindow, percentile } from '../statistics.js';
import { walkAttempts } from './attempt-schedule.js';

/** One service starting while its dependency comes up late, in virtual time (P3 without the network). */
export interface LateStartScenario {
  /** Starts simulated. Defaults to 10000. */
  trials?: number;
  /** The dependency starts accepting uniformly between these times after the start, in milliseconds. Defaults to [1000, 3000]. */
  acceptBetweenMs?: readonly [number, number];
  /** Duration of the successful attempt (connect, verify, warm-up), in milliseconds. Defaults to 0. */
  connectMs?: number;
  /** Seed of the random source. Defaults to 2. */
  seed?: number;
}

/** Time from "accepting" to "ready", and the attempt rate one service puts on its dependency. */
export interface LateStartOutcome {
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Most attempts of one service in any one-second window, over all trials. */
  peakAttemptsPerSecond: number;
}

/** Simulates {@link LateStartScenario.trials} starts with `policy` (no elapsed-time budget). */
export function simulateLateStart(policy: RetryPolicy, scenario: LateStartScenario = {}): LateStartOutcome {
  const trials = scenario.trials ?? 10_000;
  const [from, to] = scenario.acceptBetweenMs ?? [1000, 3000];
  const connectMs = scenario.connectMs ?? 0;
  const random = seededRandom(scenario.seed ?? 2);
  const waits: number[] = [];
  let peak = 0;
  for (let i = 0; i < trials; i++) {
    const acceptAt = from + random() * (to - from);
    const times: number[] = [];
    const readyAt = walkAttempts(policy, acceptAt, random, 0, (at) => times.push(at));
    waits.push(readyAt + connectMs - acceptAt);
    peak = Math.max(peak, peakInWindow(times, 1000));
  }
  return {
    p50Ms: percentile(waits, 50),
    p95Ms: percentile(waits, 95),
    maxMs: Math.max(...waits),
    peakAttemptsPerSecond: peak,
  };
}
