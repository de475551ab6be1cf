import { describe, expectTypeOf, it } from 'vitest';
import { createBreaker } from './breaker.js';
import { type AttemptContext, createRetry, type Retrier, retry } from './retrier.js';
import type { RetryPolicy } from './retry.js';

describe('createRetry', () => {
  it('returns what the function resolves with, from a promise or a plain value', () => {
    const policy = createRetry({ maxAttempts: 3, breaker: createBreaker() });
    expectTypeOf(policy).toEqualTypeOf<Retrier>();
    expectTypeOf(policy.execute(async () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(policy.execute(() => 'sync')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(policy.execute).parameter(0).parameter(0).toEqualTypeOf<AttemptContext>();
    expectTypeOf(policy.policy).toEqualTypeOf<RetryPolicy>();
  });

  it('takes a signal per call, not in its options', () => {
    const policy = createRetry();
    policy.execute(async () => 1, new AbortController().signal);
    // @ts-expect-error: the signal belongs to each call
    createRetry({ signal: new AbortController().signal });
  });

  it('keeps retry(fn, options) typed the same way', () => {
    expectTypeOf(retry(async () => true, { maxAttempts: 3 })).toEqualTypeOf<Promise<boolean>>();
  });
});
