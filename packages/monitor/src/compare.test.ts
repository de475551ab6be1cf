import { describe, expect, it } from 'vitest';
import { failedStart, readyStart, scaleStart } from '../test/sample-starts.js';
import { checkWellFormed } from '../test/xml-well-formed.js';
import { compareVariants, comparisonText, variantsOf } from './compare.js';
import { svgComparison } from './compare-chart.js';
import type { HistoryEntry } from './history-store.js';

/** Starts of `variant` whose wall times are `walls` (the sample start scaled to each). */
function starts(variant: string, walls: number[]): HistoryEntry[] {
  const base = readyStart();
  return walls.map((wall, i) => ({
    recordedAt: new Date(Date.UTC(2025, 2, 1, 10, i)).toISOString(),
    variant,
    report: scaleStart(base, wall / base.wallMs),
  }));
}

const pool2 = [850, 870, 830, 860, 845, 880, 840, 865, 855, 875];
const pool8 = [790, 805, 770, 820, 800, 780, 810, 795, 815, 785];

describe('compareVariants', () => {
  it('puts two variants side by side with a Mann–Whitney test of their wall times (scipy: U = 100, p = 0.000183)', () => {
    const history = [...starts('pool-2', pool2), ...starts('pool-8', pool8), ...starts('other', [5_000])];
    const c = compareVariants(history, 'pool-2', 'pool-8');
    expect(c.a).toMatchObject({ variant: 'pool-2', n: 10, failed: 0, medianMs: 857.5, p95Ms: 880 });
    expect(c.b).toMatchObject({ variant: 'pool-8', n: 10, medianMs: 797.5, p95Ms: 820 });
    expect(c.differenceMs).toBe(-60);
    expect(c.test.u).toBe(100);
    expect(c.test.pValue).toBeCloseTo(0.00018267179110955002, 6);
    expect(c.test.significant).toBe(true);
    expect(Object.keys(c.a.plugins)).toEqual(['postgres', 'redis', 'nats', 'migrations', 'api']);
  });

  it('leaves failed starts out of the timings and counts them', () => {
    const history = [...starts('a', [850, 870, 830]), { ...starts('a', [1])[0]!, report: failedStart() }];
    const c = compareVariants([...history, ...starts('b', [845, 860, 835])], 'a', 'b');
    expect([c.a.n, c.a.failed, c.test.pValue, c.test.significant]).toEqual([3, 1, 1, false]);
    expect(comparisonText(c)).toContain('not significant (few starts: record more)');
  });

  it('names the bad option: the same variant twice, an alpha out of range', () => {
    expect(() => compareVariants([], 'a', 'a')).toThrow(/variants/);
    expect(() => compareVariants([], 'a', 'b', { alpha: 1 })).toThrow(/alpha/);
  });

  it('lists the variants recorded, with their counts', () => {
    expect([...variantsOf([...starts('x', [1, 2]), ...starts('y', [3])])]).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
  });

  it('writes text with n, median, p95, per-plugin medians and the verdict', () => {
    const text = comparisonText(
      compareVariants([...starts('pool-2', pool2), ...starts('pool-8', pool8)], 'pool-2', 'pool-8'),
    );
    expect(text).toMatch(/median +858 ms +798 ms/);
    expect(text).toMatch(/p95 +880 ms +820 ms/);
    expect(text).toMatch(/ {2}postgres +\d+ ms +\d+ ms/);
    expect(text).toContain('pool-8 is 60 ms faster than pool-2 by median; significant: Mann–Whitney U = 100');
  });

  it('draws a well-formed SVG with every label escaped', () => {
    const svg = svgComparison(
      compareVariants([...starts('<a&b>', pool2), ...starts('pool-8', pool8)], '<a&b>', 'pool-8'),
    );
    checkWellFormed(svg);
    expect(svg).toContain('&lt;a&amp;b&gt;');
    expect(svg.match(/class="start"/g)).toHaveLength(20);
  });
});
