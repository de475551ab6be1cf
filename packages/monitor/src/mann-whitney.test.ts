import { describe, expect, it } from 'vitest';
import { mannWhitneyU, normalUpperTail } from './mann-whitney.js';

// Reference values from scipy 1.17.1, `scipy.stats.mannwhitneyu(a, b)` (two-sided, method="auto"):
//   from scipy.stats import mannwhitneyu; r = mannwhitneyu(a, b); print(r.statistic, r.pvalue)
describe('mannWhitneyU', () => {
  it.each([
    ['two samples apart (exact)', [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 0, 0.007936507936507936, 'exact'],
    ['overlapping samples (exact)', [19, 22, 16, 29, 24], [20, 11, 17, 12], 17, 0.1111111111111111, 'exact'],
    [
      'ties (normal, tie-corrected)',
      [1, 2, 2, 3, 3, 3, 4],
      [3, 4, 4, 5, 5, 6, 7],
      3.5,
      0.007659988586736321,
      'normal',
    ],
    [
      'two samples over 8 (normal)',
      [812, 905, 1020, 760, 990, 870, 1110, 930, 845, 1005, 880, 960],
      [1150, 980, 1210, 1090, 1300, 1045, 1180, 1120, 1010, 1250, 1075, 1195, 1140, 1230, 1160],
      9,
      8.565599666416006e-5,
      'normal',
    ],
    ['identical samples', [5, 5, 5], [5, 5, 5], 4.5, 1, 'normal'],
  ] as const)('matches scipy on %s', (_, a, b, u, p, method) => {
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(u);
    expect(result.method).toBe(method);
    expect(result.pValue).toBeCloseTo(p, 6);
  });

  // Published critical values (Mann & Whitney 1947; e.g. the table in Siegel, Nonparametric Statistics): for
  // n1 = n2 = 8, two-sided at 0.05, U ≤ 13 is significant. scipy gives p = 0.049883 for U = 13, 0.064957 for U = 14.
  it('agrees with the published critical value for n1 = n2 = 8 at 0.05 (U ≤ 13)', () => {
    const at13 = mannWhitneyU([0, 1, 2, 3, 4, 5, 11, 15], [6, 7, 8, 9, 10, 12, 13, 14]);
    const at14 = mannWhitneyU([0, 1, 2, 3, 4, 5, 12, 15], [6, 7, 8, 9, 10, 11, 13, 14]);
    expect([at13.u, at13.significant, at14.u, at14.significant]).toEqual([13, true, 14, false]);
    expect(at13.pValue).toBeCloseTo(0.04988344988344988, 9);
    expect(at14.pValue).toBeCloseTo(0.06495726495726495, 9);
  });

  it('uses the chosen significance level', () => {
    const result = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], 0.2);
    expect([result.alpha, result.significant]).toEqual([0.2, true]);
  });

  it('says nothing is significant when a sample is empty', () => {
    expect(mannWhitneyU([], [1, 2])).toMatchObject({ pValue: 1, significant: false });
  });

  it('computes normal tail probabilities to 1e-7 (1.959964 → 0.025)', () => {
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(-1)).toBeCloseTo(0.8413447460685429, 7);
  });
});

describe('mannWhitneyU on a small sample against a long history', () => {
  it('uses the normal approximation once counting arrangements would cost (n1·n2)² steps', () => {
    const fresh = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => v + 0.5);
    const history = Array.from({ length: 5_000 }, (_, i) => i + 10);
    const result = mannWhitneyU(fresh, history);
    expect(result.method).toBe('normal');
    expect(result.significant).toBe(true);
  });

  it('still counts exactly up to 400 pairs without ties', () => {
    const a = [1, 3, 5, 7, 9, 11, 13, 15];
    const b = Array.from({ length: 50 }, (_, i) => 2 * i + 2);
    expect(mannWhitneyU(a, b).method).toBe('exact');
  });
});
