import { describe, expect, it } from 'vitest';
import { sampleHistory } from '../test/sample-starts.js';
import { loopbackGrades } from './grade.js';
import { startSummary } from './start-summary.js';

describe('startSummary', () => {
  it('shows the newest start: waterfall, grade, efficiency, bottleneck and recommendations', () => {
    const text = startSummary(sampleHistory(), { grades: loopbackGrades, width: 100 });
    expect(text).toContain('orders-api · newest of 12 starts, recorded 2025-03-01T10:11:00.000Z');
    expect(text).toMatch(/postgres \* +█+ +762 ms/);
    expect(text).toContain(
      'Grade F (UNACCEPTABLE) · parallel efficiency 143 % of the 143 % this graph allows',
    );
    expect(text).toContain('Bottleneck: postgres, 762 ms of own work; slowest step "warm pool" 722 ms');
    expect(text).toMatch(/CRITICAL +Start took 1\.2 s/);
    expect(text).toMatch(/WARNING +"redis" needed 3 attempts/);
    expect(text).toContain('→ Repeated ECONNREFUSED against the same service');
  });

  it('shows its trend against the baseline, per plugin', () => {
    const text = startSummary(sampleHistory(), { width: 100 });
    expect(text).toContain('1.2 s against a baseline of 854 ms (median of 10 starts): +40 %, ▲ regression');
    expect(text).toMatch(/postgres +762 ms {2}median +414 ms {2}\+84 % ▲/);
    expect(text).toMatch(/redis +395 ms {2}median +397 ms {2}-1 %$/m);
    expect(text).toContain('▃▂▃▃▄▁▃▃▃▂▃█  last 12 starts, 700 ms ▁ to 1.2 s █, newest right');
  });

  it('wraps every line to the width', () => {
    for (const width of [60, 80]) {
      const text = startSummary(sampleHistory(), { grades: loopbackGrades, width });
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
      expect(text).toMatch(/\n {13}→ Repeated ECONNREFUSED against/);
    }
  });

  it('says when there is nothing to compare with', () => {
    expect(startSummary(sampleHistory(1, 0))).toContain('No baseline yet');
    expect(startSummary([])).toBe('No starts recorded.\n');
  });
});
