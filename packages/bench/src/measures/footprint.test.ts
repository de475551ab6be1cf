import { describe, expect, it } from 'vitest';
import { parseSizeOutput } from './footprint.js';

/** Median CPU time of one call over three samples of `calls` calls each. */
function cpuMsPerCall(input: string, calls: number): number {
  const parse = () => {
    try {
      parseSizeOutput(input);
    } catch {
      // Text that is not the size script's output is rejected; only the time matters here.
    }
  };
  parse();
  const samples = [0, 1, 2].map(() => {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) parse();
    const spent = process.cpuUsage(before);
    return (spent.user + spent.system) / 1000 / calls;
  });
  return samples.sort((a, b) => a - b)[1]!;
}

describe('parseSizeOutput', () => {
  it('reads every entry and the dependency count of the size script', () => {
    const stdout = [
      "import { createStartup } from '@startup/core': 27.17 KB minified, 10.61 KB min+gz (budget 10.00 KB)",
      '  over budget by 0.61 KB',
      'every name of @startup/core (the whole root entry): 30.29 KB minified, 11.71 KB min+gz',
      '@startup/core: 0 runtime dependencies (budget 0)',
      '',
    ].join('\n');
    expect(parseSizeOutput(stdout)).toEqual({
      entries: [
        { label: "import { createStartup } from '@startup/core'", minKiB: 27.17, minGzipKiB: 10.61 },
        { label: 'every name of @startup/core (the whole root entry)', minKiB: 30.29, minGzipKiB: 11.71 },
      ],
      dependencies: 0,
    });
  });

  it('rejects output without an entry or a dependency count', () => {
    expect(() => parseSizeOutput('@startup/core: 0 runtime dependencies')).toThrow(/unexpected output/);
    expect(() => parseSizeOutput('x: 1.00 KB minified, 1.00 KB min+gz')).toThrow(/unexpected output/);
  });

  it('takes about ten times as long for 200 KB of `1.` as for 20 KB', { timeout: 60_000 }, () => {
    // CPU-time medians with a generous bound: linear work gives ~10×, a backtracking expression 100×.
    for (const unit of ['1.', 'a: 1.', ': 1.1 KB minified, 1.']) {
      const text = (length: number) => unit.repeat(length / unit.length);
      const ratio = cpuMsPerCall(text(200_000), 3) / cpuMsPerCall(text(20_000), 30);
      expect(ratio, unit).toBeLessThan(40);
    }
  });
});
