import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets, redactWork } from './redact.js';

// The regular expressions redactSecrets used before its scanner: the meaning the scanner must keep. They
// backtrack quadratically on hostile text, so they only ever see short strings here.
const userInfo = /((?:\b[a-z][a-z0-9+.-]*:)?\/\/[^:/?#\s]*):([^/?#\s]*)@/gi;
const bareUserInfo = /(^|[\s"'=(,;])([^\s:/?#@"'=(,;]+):([^\s/?#"']+)@(?=[\w[])/gi;
const keyValue =
  /\b(\w*?(?:password|pass|pwd|token|secret))(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^&\s;]+)/gi;
function regexRedact(text: string): string {
  return text.replace(userInfo, '$1:****@').replace(bareUserInfo, '$1$2:****@').replace(keyValue, '$1$2****');
}

/** Pieces that mean something to one of the patterns, and a few that mean nothing. */
const piece = fc.constantFrom(
  ...['a', 'B', '1', '_', '.', '-', '+', ':', '/', '//', '@', '?', '#', '&', '=', ';', ',', '(', '[', ' '],
  ...['\n', '\t', '\u00a0', '\u2028', "'", '"', '\\', 'é', 'postgres:', 'password', 'PASS', 'pwd', 'token'],
  ...['Secret', 'x_pass', 'pg://', 'u:p@h', ' = '],
);
const text = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

/** Short repeated units: the shapes that made the regular expressions backtrack, and mixtures of them. */
const hostileUnits = ['a.', ';a:', 'a:', '//a:', 'a@', '=', "'", '"', "pass='\\", ' pass ', ':@', '//a:a@'];
const hostileUnit = fc.oneof(
  fc.constantFrom(...hostileUnits),
  fc.array(piece, { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')),
);

/** `unit` repeated to `length` characters, the last two '@=': the pre-checks then let every scanner read it. */
function repeatTo(unit: string, length: number): string {
  return `${unit.repeat(Math.ceil(length / unit.length)).slice(0, length - 2)}@=`;
}

// Linear work is proved by counting characters visited, not by timing; the time of 1 MB of hostile text is
// a benchmark figure (P8 in docs/benchmarks.md).
function workFor(input: string): number {
  redactWork.visited = 0;
  redactSecrets(input);
  return redactWork.visited;
}

describe('redactSecrets, whatever the input', () => {
  it('skips the scanners that text without an @ or = cannot trigger', () => {
    expect(workFor('a.'.repeat(5_000))).toBe(0);
    expect(workFor(`${'a.'.repeat(5_000)}@`)).toBeGreaterThanOrEqual(10_000);
  });

  it('masks exactly what the regular expressions it replaced masked', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(redactSecrets(input)).toBe(regexRedact(input));
      }),
      { numRuns: 5_000 },
    );
  });

  it.each(hostileUnits)('masks the repetition of %j exactly as the regular expressions did', (unit) => {
    const input = repeatTo(unit, 2_000);
    expect(redactSecrets(input)).toBe(regexRedact(input));
  });

  // Work is counted, not timed, so these bounds hold on a busy machine; the timeouts only allow for one.
  it('visits each character a bounded number of times in 10 KB and 100 KB of hostile text', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(hostileUnit, (unit) => {
        for (const length of [10_000, 100_000]) {
          expect(workFor(repeatTo(unit, length))).toBeLessThanOrEqual(8 * length);
        }
      }),
      { numRuns: 40 },
    );
  });

  it.each(hostileUnits)(
    'visits each character of 1 MB of %j a bounded number of times',
    { timeout: 60_000 },
    (unit) => {
      expect(workFor(repeatTo(unit, 1_000_000))).toBeLessThanOrEqual(8_000_000);
    },
  );
});
