import type { StartupStatus } from '@startup/core';
import { checkDuration, invalidOption } from '@startup/core/plugin-kit';

/** A start-up grade, A (best) to F. */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

/** The word that goes with each grade (as the spec has them); `FAILED` goes with the F of a start that failed. */
export type GradeLabel = 'EXCELLENT' | 'GOOD' | 'ACCEPTABLE' | 'POOR' | 'UNACCEPTABLE' | 'FAILED';

/**
 * Upper bounds of each grade, in milliseconds of wall time, exclusive: a start gets `A` when it took
 * less than `A` ms, `B` when less than `B` ms, and so on; `F` at `D` ms or more. Must increase A < B < C < D.
 */
export interface GradeThresholds {
  readonly A: number;
  readonly B: number;
  readonly C: number;
  readonly D: number;
}

/** A grade and its label. */
export interface GradeResult {
  grade: Grade;
  label: GradeLabel;
}

/** The spec's grades: A < 15 s, B < 25 s, C < 40 s, D < 60 s, F ≥ 60 s. */
export const originGrades: GradeThresholds = Object.freeze({ A: 15_000, B: 25_000, C: 40_000, D: 60_000 });

/**
 * For services whose dependencies are on loopback and start in milliseconds:
 * A < 150 ms, B < 300 ms, C < 600 ms, D < 1 s, F ≥ 1 s.
 */
export const loopbackGrades: GradeThresholds = Object.freeze({ A: 150, B: 300, C: 600, D: 1_000 });

const labels: Record<Grade, GradeLabel> = {
  A: 'EXCELLENT',
  B: 'GOOD',
  C: 'ACCEPTABLE',
  D: 'POOR',
  F: 'UNACCEPTABLE',
};

/**
 * Checks a thresholds object: each bound a positive number of milliseconds, strictly increasing.
 * Throws `STARTUP_ERR_INVALID_OPTION` naming the field (under `field`, defaults to `grades`).
 */
export function checkGradeThresholds(thresholds: unknown, field = 'grades'): GradeThresholds {
  if (typeof thresholds !== 'object' || thresholds === null) {
    throw invalidOption(field, 'an object { A, B, C, D } of milliseconds', thresholds);
  }
  const t = thresholds as Record<string, unknown>;
  let previous = 0;
  for (const key of ['A', 'B', 'C', 'D'] as const) {
    if (t[key] === undefined)
      throw invalidOption(`${field}.${key}`, 'a positive number of milliseconds', undefined);
    const value = checkDuration(`${field}.${key}`, t[key], 0, { positive: true });
    if (value <= previous) {
      throw invalidOption(
        `${field}.${key}`,
        `a bound greater than the previous grade's (${previous} ms)`,
        value,
      );
    }
    previous = value;
  }
  return t as unknown as GradeThresholds;
}

/**
 * Grades a start by its wall time in milliseconds against `thresholds` (defaults to {@link originGrades}).
 * @example grade(12_300) // { grade: 'A', label: 'EXCELLENT' }
 * @example grade(240, loopbackGrades) // { grade: 'B', label: 'GOOD' }
 */
export function grade(wallMs: number, thresholds: GradeThresholds = originGrades): GradeResult {
  checkDuration('wallMs', wallMs, 0);
  if (thresholds !== originGrades && thresholds !== loopbackGrades) checkGradeThresholds(thresholds);
  const g: Grade =
    wallMs < thresholds.A
      ? 'A'
      : wallMs < thresholds.B
        ? 'B'
        : wallMs < thresholds.C
          ? 'C'
          : wallMs < thresholds.D
            ? 'D'
            : 'F';
  return { grade: g, label: labels[g] };
}

/**
 * The grade of a start: F (`FAILED`) when it failed or was aborted, whatever its wall time (failing fast is
 * no success); otherwise {@link grade} of its wall time (clamped at 0). Every output of the monitor uses it.
 */
export function startGrade(
  status: StartupStatus,
  wallMs: number,
  thresholds: GradeThresholds = originGrades,
): GradeResult {
  if (status === 'failed' || status === 'aborted') return { grade: 'F', label: 'FAILED' };
  return grade(Math.max(0, wallMs), thresholds);
}
