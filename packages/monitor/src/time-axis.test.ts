import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tickLabel, timeAxis } from './time-axis.js';

describe('timeAxis', () => {
  it('rounds the span up to a whole step of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(timeAxis(850, 4)).toMatchObject({
      endMs: 1000,
      stepMs: 250,
      ticks: [0, 250, 500, 750, 1000],
      unit: 'ms',
    });
    expect(timeAxis(850, 10)).toMatchObject({ endMs: 900, stepMs: 100 });
    expect(timeAxis(12_300, 5)).toMatchObject({ endMs: 12_500, stepMs: 2500, unit: 's' });
    expect(timeAxis(9_000, 3)).toMatchObject({ endMs: 10_000, stepMs: 5000, unit: 's' });
    expect(timeAxis(0.4, 4)).toMatchObject({ endMs: 0.4, stepMs: 0.1, ticks: [0, 0.1, 0.2, 0.3, 0.4] });
  });

  it('gives a span of zero an axis of one millisecond', () => {
    expect(timeAxis(0, 5)).toMatchObject({ endMs: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(timeAxis(Number.NaN, 5).endMs).toBe(1);
  });

  it('always covers the span with at most the ticks asked for', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1e7, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (span, max) => {
          const axis = timeAxis(span, max);
          expect(axis.endMs).toBeGreaterThanOrEqual(span * (1 - 1e-9));
          expect(axis.ticks.length - 1).toBeLessThanOrEqual(max);
          expect(axis.ticks[0]).toBe(0);
          expect(axis.ticks.at(-1)).toBe(axis.endMs);
        },
      ),
    );
  });

  it('labels ticks in the unit of the axis', () => {
    expect(tickLabel(250, 'ms')).toBe('250');
    expect(tickLabel(12_500, 's')).toBe('12.5');
    expect(tickLabel(0.30000000000000004, 'ms')).toBe('0.3');
  });
});
