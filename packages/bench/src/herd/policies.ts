import { defaultRetryPolicy, type RetryOptions } from '@startup/core';

/** A retry policy under comparison, with the name the tables give it. */
export interface NamedPolicy {
  name: string;
  options: RetryOptions;
}

/** Core's default schedule today (100 ms × 2 up to 500 ms), whatever its jitter is. */
export const currentSchedule: RetryOptions = {
  initialDelayMs: defaultRetryPolicy.initialDelayMs,
  multiplier: defaultRetryPolicy.multiplier,
  maxDelayMs: defaultRetryPolicy.maxDelayMs,
};

/**
 * The default this suite recommends: a slow exponential ramp (150 ms × 1.1, so about 200 ms apart 1 s into a
 * start and 400 ms apart at 3 s) to a 1 s cap, with ±30 % jitter. Fast while a late dependency comes up in a
 * start; wide enough apart after a long outage that a fleet's reconnections spread out.
 */
export const recommendedPolicy: NamedPolicy = {
  name: 'recommended: 150 ms × 1.1 → 1 s, ±30 %',
  options: { initialDelayMs: 150, multiplier: 1.1, maxDelayMs: 1000, jitter: { proportional: 0.3 } },
};

/** Core's default policy as built (read from `defaultRetryPolicy`, so the tables follow core). */
export const currentDefault: NamedPolicy = {
  name: `current default: ${defaultRetryPolicy.initialDelayMs} ms × ${defaultRetryPolicy.multiplier} → ${defaultRetryPolicy.maxDelayMs} ms, ${describeJitter(defaultRetryPolicy.jitter)}`,
  options: {},
};

/** The policies of the P3-vs-P6 trade-off table: every jitter on today's schedule, then the candidates. */
export const tradeOffPolicies: readonly NamedPolicy[] = [
  { name: 'no jitter (today’s schedule)', options: { ...currentSchedule, jitter: 'none' } },
  { name: 'full jitter', options: { ...currentSchedule, jitter: 'full' } },
  { name: 'equal jitter', options: { ...currentSchedule, jitter: 'equal' } },
  { name: 'decorrelated jitter', options: { ...currentSchedule, jitter: 'decorrelated' } },
  { name: '±20 % (gRPC)', options: { ...currentSchedule, jitter: { proportional: 0.2 } } },
  currentDefault,
  { name: '+0–1 s (as in the spec)', options: { ...currentSchedule, jitter: { additiveMs: 1000 } } },
  {
    name: '100 ms × 2 → 1 s, full jitter',
    options: { initialDelayMs: 100, maxDelayMs: 1000, jitter: 'full' },
  },
  {
    name: '150 ms × 1.1 → 1 s, equal jitter',
    options: { initialDelayMs: 150, multiplier: 1.1, maxDelayMs: 1000, jitter: 'equal' },
  },
  {
    name: '150 ms × 1.1 → 1 s, ±20 %',
    options: { initialDelayMs: 150, multiplier: 1.1, maxDelayMs: 1000, jitter: { proportional: 0.2 } },
  },
  {
    name: '150 ms × 1.1 → 1 s, ±50 % (today’s jitter)',
    options: { initialDelayMs: 150, multiplier: 1.1, maxDelayMs: 1000, jitter: { proportional: 0.5 } },
  },
  recommendedPolicy,
];

/** `±50 %`, `full`, `+0–1000 ms`… */
export function describeJitter(jitter: RetryOptions['jitter']): string {
  if (jitter === undefined) return describeJitter(defaultRetryPolicy.jitter);
  if (typeof jitter === 'string') return jitter === 'none' ? 'no jitter' : `${jitter} jitter`;
  if ('proportional' in jitter) return `±${Math.round(jitter.proportional * 100)} %`;
  return `+0–${jitter.additiveMs} ms`;
}
