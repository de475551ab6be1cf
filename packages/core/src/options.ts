import { invalidOption } from './errors.js';

/** Where a value being validated lives: the plugin it belongs to, if any. */
export interface FieldContext {
  plugin?: string | undefined;
}

/**
 * Checks a duration in milliseconds: a finite number ≥ 0 (or > 0 when `positive`), or `Infinity` when
 * `allowInfinity`. Returns `fallback` when `value` is undefined. Throws `STARTUP_ERR_INVALID_OPTION`.
 */
export function checkDuration(
  field: string,
  value: unknown,
  fallback: number,
  opts: FieldContext & { positive?: boolean; allowInfinity?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (opts.allowInfinity === true && value === Number.POSITIVE_INFINITY)) &&
    (opts.positive ? value > 0 : value >= 0);
  if (!ok) {
    const expected = `a ${opts.positive ? 'positive' : 'non-negative'} number of milliseconds${opts.allowInfinity ? ' or Infinity' : ''}`;
    throw invalidOption(field, expected, value, opts.plugin);
  }
  return value;
}

/** Checks an integer ≥ `min` (default 1), or `Infinity` when `allowInfinity`; `fallback` when undefined. */
export function checkInteger(
  field: string,
  value: unknown,
  fallback: number,
  opts: FieldContext & { min?: number; max?: number; allowInfinity?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const min = opts.min ?? 1;
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  const ok =
    typeof value === 'number' &&
    ((Number.isInteger(value) && value >= min && value <= max) ||
      (opts.allowInfinity === true && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    const range = Number.isFinite(max) ? `between ${min} and ${max}` : `≥ ${min}`;
    throw invalidOption(
      field,
      `an integer ${range}${opts.allowInfinity ? ' or Infinity' : ''}`,
      value,
      opts.plugin,
    );
  }
  return value;
}

/** Checks a finite number within [min, max]; `fallback` when undefined. */
export function checkNumber(
  field: string,
  value: unknown,
  fallback: number,
  opts: FieldContext & { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  const min = opts.min ?? Number.NEGATIVE_INFINITY;
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidOption(field, `a number between ${min} and ${max}`, value, opts.plugin);
  }
  return value;
}

/** Checks that `value` is a function or undefined. */
export function checkFunction<F>(field: string, value: unknown, opts: FieldContext = {}): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalidOption(field, 'a function', value, opts.plugin);
  return value as F;
}
