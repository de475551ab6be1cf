import { createTestClock } from '@startup/test-kit/clock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retry } from './retrier.js';
import { backoffDelay, type Jitter, type RetryPolicy, retryPolicy } from './retry.js';

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
// Durations below a microsecond count as 0: at subnormal values (5e-324 ms) the model's repeated multiplication and
// the policy's closed form round differently, which says nothing about delays anyone can wait.
const duration = (max: number) => fc.double({ min: 0, max, noNaN: true }).map((ms) => (ms < 1e-3 ? 0 : ms));

const jitter: fc.Arbitrary<Jitter> = fc.oneof(
  fc.constantFrom<Jitter>('none', 'full', 'equal', 'decorrelated'),
  fc.record({ proportional: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ additiveMs: duration(5_000) }),
);

/** Backoff settings, with maxDelayMs ≥ initialDelayMs as validation requires. */
const backoff = fc
  .record({
    initialDelayMs: fc.oneof(fc.constant(0), duration(10_000)),
    multiplier: fc.oneof(fc.constant(1), fc.double({ min: 1, max: 100, noNaN: true })),
    capAbove: duration(60_000),
    jitter,
  })
  .map(({ capAbove, ...rest }) => ({ ...rest, maxDelayMs: rest.initialDelayMs + capAbove }));

/** The jitter-free delay after `failures` failures, by repeated multiplication (no overflow). */
function exponential(policy: RetryPolicy, failures: number): number {
  let delay = Math.min(policy.initialDelayMs, policy.maxDelayMs);
  for (let i = 1; i < failures && delay > 0 && delay < policy.maxDelayMs; i++) {
    delay = Math.min(delay * policy.multiplier, policy.maxDelayMs);
  }
  return delay;
}

/** [lowest, highest] delay the policy's jitter strategy allows. */
function strategyBounds(policy: RetryPolicy, failures: number, previousMs: number): [number, number] {
  const exp = exponential(policy, failures);
  const { jitter: j, initialDelayMs: base, maxDelayMs: cap } = policy;
  if (j === 'none') return [exp, exp];
  if (j === 'full') return [0, exp];
  if (j === 'equal') return [exp / 2, exp];
  if (j === 'decorrelated') return [base, Math.min(cap, Math.max(base, 3 * previousMs))];
  if ('proportional' in j) return [exp * (1 - j.proportional), exp * (1 + j.proportional)];
  return [exp, exp + j.additiveMs];
}

/** The ceiling no delay may pass: maxDelayMs·(1+f), maxDelayMs + additiveMs, or maxDelayMs. */
function ceiling(policy: RetryPolicy): number {
  const j = policy.jitter;
  if (typeof j === 'object' && 'proportional' in j) return policy.maxDelayMs * (1 + j.proportional);
  if (typeof j === 'object') return policy.maxDelayMs + j.additiveMs;
  return policy.maxDelayMs;
}

const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

describe('retry delays (property)', () => {
  it("always lie within the jitter strategy's bounds and under the ceiling", () => {
    fc.assert(
      fc.property(
        backoff,
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5_000 })),
        unit,
        unit,
        (options, failures, previousAt, r) => {
          const policy = retryPolicy(options);
          // A previous delay is one the policy could have produced: within [initialDelayMs, maxDelayMs].
          const previousMs = policy.initialDelayMs + previousAt * (policy.maxDelayMs - policy.initialDelayMs);
          const delay = backoffDelay(policy, failures, previousMs, () => r);
          const [low, high] = strategyBounds(policy, failures, previousMs);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.max(0, low - slack(low)));
          expect(delay).toBeLessThanOrEqual(high + slack(high));
          expect(delay).toBeLessThanOrEqual(ceiling(policy) + slack(ceiling(policy)));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('retry runs (property)', () => {
  it('never exceed maxAttempts or start an attempt after maxElapsedMs, and wait exactly the delays', async () => {
    await fc.assert(
      fc.asyncProperty(
        backoff,
        fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(Number.POSITIVE_INFINITY)),
        fc.oneof(duration(100_000), fc.constant(Number.POSITIVE_INFINITY)),
        fc.integer({ min: 0, max: 25 }),
        fc.array(duration(5_000), { minLength: 1, maxLength: 10 }),
        fc.array(unit, { minLength: 1, maxLength: 10 }),
        async (options, maxAttempts, maxElapsedMs, failuresBeforeSuccess, durations, randoms) => {
          const clock = createTestClock();
          const starts: number[] = [];
          const delays: number[] = [];
          let draws = 0;
          const outcome = retry(
            async ({ attempt }) => {
              starts.push(clock.now());
              clock.advance(durations[(attempt - 1) % durations.length] ?? 0);
              if (attempt <= failuresBeforeSuccess) throw new Error(`failure ${attempt}`);
              return attempt;
            },
            {
              ...options,
              maxAttempts,
              maxElapsedMs,
              clock,
              random: () => randoms[draws++ % randoms.length] ?? 0,
              onRetry: ({ delayMs }) => delays.push(delayMs),
            },
          ).then(
            (attempt) => ({ ok: true as const, attempt }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          await clock.runAllAsync();
          const result = await outcome;
          const policy = retryPolicy({ ...options, maxAttempts, maxElapsedMs });

          expect(starts.length).toBeLessThanOrEqual(maxAttempts);
          for (const start of starts) expect(start).toBeLessThanOrEqual(maxElapsedMs);
          expect(delays).toHaveLength(starts.length - 1);
          delays.forEach((delay, i) => {
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThanOrEqual(ceiling(policy) + slack(ceiling(policy)));
            const ended = (starts[i] ?? 0) + (durations[i % durations.length] ?? 0);
            expect(starts[i + 1]).toBeCloseTo(ended + delay, 6);
          });
          if (result.ok) expect(result.attempt).toBe(failuresBeforeSuccess + 1);
          else expect(result.error).toEqual(new Error(`failure ${starts.length}`));
          if (!result.ok && maxElapsedMs === Number.POSITIVE_INFINITY)
            expect(starts).toHaveLength(maxAttempts);
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
