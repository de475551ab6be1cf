import { describe, expect, it } from 'vitest';
import { sampleHistory, scaleStart } from '../test/sample-starts.js';
import { loopbackGrades } from './grade.js';
import { trendChart } from './trend-chart.js';

const chart = (options: Parameters<typeof trendChart>[1] = {}, entries = sampleHistory()) =>
  trendChart(entries, { color: false, ...options });
const rows = (text: string) => text.split('\n').filter((l) => /^\s*\d+ {2}(\d{4}-)?\d\d-\d\d /.test(l));

describe('trendChart', () => {
  it('draws one bar per start, oldest first, with its time', () => {
    const lines = rows(chart());
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(/^ 1 {2}2025-03-01 10:00:00 {2}A {2}█+┃ +850 ms$/);
    expect(lines[11]).toMatch(/^12 {2}2025-03-01 10:11:00 {2}A {2}█+┃█+ +1\.2 s {2}▲ \+40 %$/);
  });

  it('draws the baseline as a line at the same column in every row', () => {
    const text = chart();
    const columns = rows(text).map((l) => Math.max(l.indexOf('┃'), l.indexOf('│')));
    expect(new Set(columns).size).toBe(1);
    const footer = text.split('\n').find((l) => l.includes('└ baseline'))!;
    expect(footer.indexOf('└')).toBe(columns[0]);
    expect(footer.trim()).toBe('└ baseline 854 ms');
    expect(text).toContain('│ baseline 854 ms: median of the 10 completed starts before the newest');
  });

  it('marks a regression, and a failed start graded F like every other output grades it', () => {
    const lines = rows(chart());
    expect(lines.filter((l) => l.includes('▲'))).toHaveLength(1);
    expect(lines[5]).toMatch(/^ 6 {2}2025-03-01 10:05:00 {2}F {2}█+ +│ +700 ms {2}✗ failed$/);
    expect(chart()).toContain('Newest start is a regression: +40 % over the baseline.');
    expect(chart({}, sampleHistory(12, 80))).toContain('Newest start is within 20 % of the baseline (+9 %).');
  });

  it('says a newest start far under its baseline is faster, not within the threshold', () => {
    const history = sampleHistory(12, 0);
    history[11]!.report = scaleStart(history[11]!.report, 0.6);
    const text = chart({}, history);
    expect(text).toContain('Newest start is faster than the baseline: -40 %.');
    expect(text).not.toContain('within 20 %');
  });

  it('speaks of one start and one baseline start in the singular', () => {
    const text = chart({ last: 1 }, sampleHistory(2, 0));
    expect(text).toContain('Wall time of the newest of 2 starts');
    expect(text).toContain('│ baseline 850 ms: the one completed start before the newest');
  });

  it('shows the last N starts with baselines from the starts before them', () => {
    const lines = rows(chart({ last: 3 }));
    expect(lines.map((l) => l.trim().split(' ')[0])).toEqual(['10', '11', '12']);
    expect(lines[0]).toMatch(/-5 %$/);
    expect(chart({ last: 3 })).toContain('Wall time of the last 3 of 12 starts');
  });

  it('takes the regression threshold and the grades as options', () => {
    expect(rows(chart({ regressionPercent: 50 })).filter((l) => l.includes('▲'))).toHaveLength(0);
    expect(rows(chart({ grades: loopbackGrades }))[0]).toMatch(/ {2}D {2}/);
  });

  it('says when there is no baseline yet', () => {
    const one = sampleHistory(1, 0);
    expect(chart({}, one)).toContain('No baseline yet');
    expect(chart({}, one)).toContain('Newest start has no baseline to compare with.');
    expect(chart({}, [])).toBe('No starts recorded.\n');
  });

  it('keeps rows within the width', () => {
    for (const width of [50, 80, 120]) {
      const lines = rows(chart({ width }));
      expect(lines).toHaveLength(12);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('rejects bad options with STARTUP_ERR_INVALID_OPTION', () => {
    expect(() => chart({ last: 0 })).toThrow(expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }));
    expect(() => chart({ width: 10 })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('"width"') }),
    );
  });
});
