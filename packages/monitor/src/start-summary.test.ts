import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { failedStart, readyStart, sampleHistory, scaleStart } from '../test/sample-starts.js';
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
    expect(text).toContain(
      '1.2 s against a baseline of 854 ms (median of 10 completed starts): +40 %, ▲ regression',
    );
    expect(text).toMatch(/postgres +762 ms {2}median +414 ms {2}\+84 % ▲/);
    expect(text).toMatch(/redis +395 ms {2}median +397 ms {2}-1 %$/m);
    expect(text).toContain('▃▂▃▃▄▁▃▃▃▂▃█  last 12 starts, 700 ms ▁ to 1.2 s █, newest right');
  });

  it('grades a failed newest start F (FAILED), not by how fast it failed', () => {
    const history = sampleHistory(3, 0);
    history.push({ recordedAt: '2025-03-01T10:03:00.000Z', service: 'orders-api', report: failedStart() });
    const text = startSummary(history, { width: 100 });
    expect(text).toContain('Start failed in 700 ms');
    expect(text).toContain('Grade F (FAILED)');
    expect(text).not.toContain('EXCELLENT');
    expect(text).toContain('The newest start failed: no comparison with the baseline.');
    expect(text).not.toContain('faster');
  });

  it('says a newest start far under its baseline is faster, not within the threshold', () => {
    const history = sampleHistory(12, 0);
    history[11]!.report = scaleStart(history[11]!.report, 0.6);
    const text = startSummary(history, { width: 100 });
    expect(text.replace(/\s+/g, ' ')).toContain('-40 %, ▼ faster (more than 20 % under)');
    expect(text).not.toContain('within 20 %');
  });

  it('speaks of the only start and a baseline of one start in the singular', () => {
    const one = startSummary(sampleHistory(1, 0));
    expect(one).toContain('the only start, 850 ms');
    expect(one).not.toContain('starts');
    const retried = fakeReport([fakePlugin('redis', { startMs: 0, attemptsMs: [10, 10], delaysMs: [100] })]);
    const bottleneck = startSummary([{ recordedAt: '2025-03-01T10:00:00.000Z', report: retried }]);
    expect(bottleneck).toContain('Bottleneck: redis, 20 ms of own work, 1 retry, 100 ms backoff');
    expect(startSummary(sampleHistory(2, 0))).toContain('(the one completed start before)');
  });

  it('shows control characters of names, services and server errors as pictures, never sends them', () => {
    const report = readyStart();
    report.plugins[2]!.name = 'nats\u001b[2J';
    report.plugins[1]!.attempts[0]!.error = {
      name: 'Error',
      code: 'E\u009b1',
      message: 'server said \u001b[2J\u001b[31mHACKED\u001b[0m\r\n\u0007',
    };
    const entry = { recordedAt: '2025-03-01T10:00:00.000Z', service: 'orders\u0007', report };
    const text = startSummary([entry], { width: 120, color: false });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach the terminal
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('orders\u2407 · the only start');
    expect(text).toContain('nats\u241b[2J');
    expect(text).toContain('server said \u241b[2J\u241b[31mHACKED\u241b[0m \u2407');
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
