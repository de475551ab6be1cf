import { describe, expect, it } from 'vitest';
import { grade, loopbackGrades, originGrades, startGrade } from './grade.js';

describe('grade', () => {
  it.each([
    [0, 'A', 'EXCELLENT'],
    [14_999.9, 'A', 'EXCELLENT'],
    [15_000, 'B', 'GOOD'],
    [24_999, 'B', 'GOOD'],
    [25_000, 'C', 'ACCEPTABLE'],
    [39_999, 'C', 'ACCEPTABLE'],
    [40_000, 'D', 'POOR'],
    [59_999.999, 'D', 'POOR'],
    [60_000, 'F', 'UNACCEPTABLE'],
    [3_600_000, 'F', 'UNACCEPTABLE'],
  ])('grades %d ms as %s (%s) with the origin thresholds', (ms, g, label) => {
    expect(grade(ms)).toEqual({ grade: g, label });
  });

  it.each([
    [149, 'A'],
    [150, 'B'],
    [299, 'B'],
    [300, 'C'],
    [599, 'C'],
    [600, 'D'],
    [999, 'D'],
    [1_000, 'F'],
  ])('grades %d ms as %s with the loopback preset', (ms, g) => {
    expect(grade(ms, loopbackGrades).grade).toBe(g);
  });

  it('uses the origin thresholds by default', () => {
    expect(originGrades).toEqual({ A: 15_000, B: 25_000, C: 40_000, D: 60_000 });
  });

  it('accepts custom thresholds', () => {
    const t = { A: 10, B: 20, C: 30, D: 40 };
    expect(grade(9.9, t).grade).toBe('A');
    expect(grade(10, t).grade).toBe('B');
    expect(grade(40, t).grade).toBe('F');
  });

  it('rejects thresholds that do not increase, naming the field', () => {
    expect(() => grade(1, { A: 10, B: 10, C: 30, D: 40 })).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('grades.B'),
      }),
    );
  });

  it('rejects a missing or negative threshold and a bad wall time', () => {
    expect(() => grade(1, { A: 10, B: 20, C: 30 } as never)).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
    expect(() => grade(1, { A: -1, B: 20, C: 30, D: 40 })).toThrow(/grades\.A/);
    expect(() => grade(-1)).toThrow(/wallMs/);
    expect(() => grade(Number.NaN)).toThrow(/wallMs/);
  });
});

describe('startGrade', () => {
  it.each(['failed', 'aborted'] as const)('grades a start that %s F (FAILED), however fast', (status) => {
    expect(startGrade(status, 1_500)).toEqual({ grade: 'F', label: 'FAILED' });
    expect(startGrade(status, 0, loopbackGrades)).toEqual({ grade: 'F', label: 'FAILED' });
  });

  it.each(['ready', 'degraded', 'starting'] as const)(
    'grades a start that is %s by its wall time',
    (status) => {
      expect(startGrade(status, 1_500)).toEqual({ grade: 'A', label: 'EXCELLENT' });
      expect(startGrade(status, 240, loopbackGrades)).toEqual({ grade: 'B', label: 'GOOD' });
    },
  );
});
