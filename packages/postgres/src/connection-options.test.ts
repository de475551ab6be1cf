import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hideSecrets } from './connection-options.js';

// The expressions hideSecrets used before: the meaning it must keep. The second one takes cubic time on text
// such as `?pass?pass…` (2 KB: over a second), so it only ever sees short strings here.
function regexHideSecrets(text: string): string {
  return text
    .replace(/\/\/[^/?#]*@/, '//****@')
    .replace(/([?&][^=&#]*(?:password|pass|pwd|token|secret)[^=&#]*=)[^&#]*/gi, '$1****');
}

/** Median CPU time of one call over three samples of `calls` calls each. */
function cpuMsPerCall(input: string, calls: number): number {
  hideSecrets(input);
  const samples = [0, 1, 2].map(() => {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) hideSecrets(input);
    const spent = process.cpuUsage(before);
    return (spent.user + spent.system) / 1000 / calls;
  });
  return samples.sort((a, b) => a - b)[1]!;
}

describe('hideSecrets (a URL that failed to parse)', () => {
  it.each([
    ['postgres://app:hun@ter2@db:x/app', 'postgres://****@db:x/app'],
    ['postgres://app@db:x/app?password=hunter2 ter2', 'postgres://****@db:x/app?password=****'],
    [
      'mysql://app@db/app?sslmode=disable&password=hunter2#x',
      'mysql://****@db/app?sslmode=disable&password=****#x',
    ],
    ['pg://db/app?a?PGPASS=x&b=1', 'pg://db/app?a?PGPASS=****&b=1'],
  ])('hides the secrets of %s', (url, expected) => {
    expect(hideSecrets(url)).toBe(expected);
  });

  it('hides exactly what the expressions it replaced hid', () => {
    const piece = fc.constantFrom(
      ...['a', 'P', '/', '//', '?', '&', '#', '=', '@', ' ', ':', 'pass', 'PWD', 'token', 'secret', 'word'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(hideSecrets(text)).toBe(regexHideSecrets(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes about ten times as long for 100 KB of `?pass` as for 10 KB', { timeout: 60_000 }, () => {
    // CPU-time medians with a generous bound: linear work gives ~10×, the cubic expressions 1,000×.
    for (const unit of ['?pass', '&pass=', '?a?pass']) {
      const text = (length: number) => `postgres://db/app${unit.repeat(length / unit.length)}`;
      const ratio = cpuMsPerCall(text(100_000), 3) / cpuMsPerCall(text(10_000), 30);
      expect(ratio, unit).toBeLessThan(40);
    }
  });
});
