import { describe, expect, it } from 'vitest';
import { failedStart } from '../test/sample-starts.js';
import { printable, printableReport } from './printable.js';

describe('printable', () => {
  it('shows C0 controls as their pictures, DEL as ␡ and C1 controls as �', () => {
    expect(printable('a\u001b[2Jb')).toBe('a\u241b[2Jb');
    expect(printable('\u0000\u0007\t\n\r')).toBe('\u2400\u2407\u2409\u240a\u240d');
    expect(printable('x\u007fy\u0080\u009bz')).toBe('x\u2421y\ufffd\ufffdz');
  });

  it('leaves every other character as it is', () => {
    const text = 'postgres → api · é ✓ \ud83d\ude00 \u00a0 ␛';
    expect(printable(text)).toBe(text);
  });
});

describe('printableReport', () => {
  it('makes every text of a report printable, error messages on one line, and leaves the report as it was', () => {
    const report = failedStart();
    report.plugins[0]!.name = 'pg\u001b[31m';
    report.plugins[0]!.attempts[0]!.error!.message = 'refused\n  by \u001b[2J';
    report.plugins[1]!.dependsOn = ['pg\u001b[31m'];
    report.criticalPath = ['pg\u001b[31m'];
    const copy = printableReport(report);
    expect(copy.plugins[0]!.name).toBe('pg\u241b[31m');
    expect(copy.plugins[0]!.attempts[0]!.error!.message).toBe('refused by \u241b[2J');
    expect(copy.plugins[1]!.dependsOn).toEqual(['pg\u241b[31m']);
    expect(copy.criticalPath).toEqual(['pg\u241b[31m']);
    expect(report.plugins[0]!.name).toBe('pg\u001b[31m');
    const texts = (v: unknown): string[] =>
      typeof v === 'string'
        ? [v]
        : typeof v === 'object' && v !== null
          ? Object.values(v).flatMap(texts)
          : [];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be left
    expect(texts(copy).filter((t) => /[\u0000-\u001f\u007f-\u009f]/.test(t))).toEqual([]);
  });
});
