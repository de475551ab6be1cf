import { describe, expect, it } from 'vitest';
import { median, percentile } from './median.js';
import { responseTimes } from './response-times.js';

describe('responseTimes', () => {
  it('has only a count before the first sample', () => {
    expect(responseTimes().summary()).toEqual({ count: 0 });
  });

  it('gives the average, nearest-rank p95, max and last sample', () => {
    const w = responseTimes();
    for (let i = 1; i <= 20; i++) w.record(i);
    expect(w.summary()).toEqual({ count: 20, avgMs: 10.5, p95Ms: 19, maxMs: 20, lastMs: 20 });
  });

  it('keeps only the newest samples once the window is full', () => {
    const w = responseTimes({ size: 3 });
    for (const ms of [1_000, 1, 2, 3]) w.record(ms);
    expect(w.summary()).toEqual({ count: 3, avgMs: 2, p95Ms: 3, maxMs: 3, lastMs: 3 });
    w.record(9);
    expect(w.summary()).toMatchObject({ count: 3, maxMs: 9, lastMs: 9, avgMs: 14 / 3 });
  });

  it('rejects a bad size or sample', () => {
    expect(() => responseTimes({ size: 0 })).toThrow(/"size"/);
    expect(() => responseTimes().record(-1)).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });
});

describe('median and percentile', () => {
  it('handle odd, even and empty inputs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeUndefined();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 95)).toBeUndefined();
  });
});
