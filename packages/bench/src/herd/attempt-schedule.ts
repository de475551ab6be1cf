import type { Random, RetryPolicy } from '@startup/core';
import { backoffDelay } from '@startup/core/plugin-kit';

/**
 * Walks the attempts one client makes with `policy`, in virtual time, exactly as core's `retry` spaces
 * them (`backoffDelay` after each failure, the previous delay threaded for decorrelated jitter). Each
 * attempt takes `attemptMs`; the first one starting at or after `upAtMs` succeeds.
 * Calls `onAttempt` with each attempt's start time. Returns the time the client is ready, in milliseconds.
 */
export function walkAttempts(
  policy: RetryPolicy,
  upAtMs: number,
  random: Random,
  attemptMs: number,
  onAttempt: (atMs: number) => void,
): number {
  let now = 0;
  let previous = policy.initialDelayMs;
  for (let failures = 0; ; failures++) {
    onAttempt(now);
    if (now >= upAtMs) return now + attemptMs;
    const delay = backoffDelay(policy, failures + 1, previous, random);
    previous = delay;
    now += attemptMs + delay;
  }
}
