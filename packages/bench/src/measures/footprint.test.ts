import { describe, expect, it } from 'vitest';
import { parseSizeOutput } from './footprint.js';

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

  it('rejects 200 KB of text built to trip a backtracking reader, quoting at most 500 characters of it', () => {
    // The reader uses no regular expression (indexOf and split only), so its work is linear by construction; this
    // checks what such input gets, not how fast (speed belongs to the benchmarks).
    for (const unit of ['1.', 'a: 1.', ': 1.1 KB minified, 1.']) {
      const text = unit.repeat(200_000 / unit.length);
      expect(() => parseSizeOutput(text), unit).toThrow(
        /^unexpected output of scripts\/size\.mjs: .{1,500}$/s,
      );
    }
  });
});
