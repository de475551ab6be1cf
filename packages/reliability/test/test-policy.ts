import type { StartupOptions } from '@startup/core';

/**
 * Test-sized runner policy: 20–50 ms backoff, a retry budget of 800 ms, 500 ms attempts, a breaker that
 * opens after 2 failures for 200 ms, uncached 300 ms health checks. The deadline (10 s) is far beyond the
 * retry budget, so a start that gives up on its own fails with `STARTUP_ERR_FAILED`, never the deadline.
 */
export const testPolicy = {
  deadlineMs: 10_000,
  defaults: {
    retry: { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 800 },
    attemptTimeoutMs: 500,
    closeTimeoutMs: 1_000,
    breaker: { failureThreshold: 2, openMs: 200 },
  },
  health: { timeoutMs: 300, cacheMs: 0 },
} satisfies StartupOptions;

/** The retry budget of {@link testPolicy}, in milliseconds: no attempt starts after it. */
export const retryBudgetMs = testPolicy.defaults.retry.maxElapsedMs;

/**
 * A host name that never resolves: RFC 2606 reserves `.invalid`, and the empty label makes glibc answer
 * ENOTFOUND without asking a DNS server. A real query for a missing name can wait out the resolver's
 * timeout (5 s on the CI machine), which would make the case slow and its code depend on the network.
 */
export const unresolvableHost = 'startup-reliability..invalid';
