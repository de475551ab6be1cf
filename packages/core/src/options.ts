import { invalidOption } from './errors.js';

/** Where a value being validated lives: the plugin it belongs to, if any. */
export interface FieldContext {
  plugin?: string | undefined;
}

/** Where a policy being validated lives: the field it is under and the plugin it belongs to. */
export interface PolicyField {
  /** The option holding the policy, prefixed to every field named in an error (`reconnect.maxDelayMs`). */
  field?: string;
  /** The plugin it belongs to, named in the error. Defaults to none. */
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
  const expected = `a ${opts.positive ? 'positive' : 'non-negative'} number of milliseconds`;
  return check(field, value, fallback, opts, expected, (n) => (opts.positive ? n > 0 : n >= 0));
}

/** Checks an integer ≥ `min` (default 1) and ≤ `max` (default none), or `Infinity` when `allowInfinity`; `fallback` when undefined. */
export function checkInteger(
  field: string,
  value: unknown,
  fallback: number,
  opts: FieldContext & { min?: number; max?: number; allowInfinity?: boolean } = {},
): number {
  const { min = 1, max = Infinity } = opts;
  const range = max < Infinity ? `between ${min} and ${max}` : `≥ ${min}`;
  return check(
    field,
    value,
    fallback,
    opts,
    `an integer ${range}`,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );
}

/** Checks a finite number within [min, max] (defaults: no bounds); `fallback` when undefined. */
export function checkNumber(
  field: string,
  value: unknown,
  fallback: number,
  opts: FieldContext & { min?: number; max?: number } = {},
): number {
  const { min = -Infinity, max = Infinity } = opts;
  return check(
    field,
    value,
    fallback,
    { plugin: opts.plugin },
    `a number between ${min} and ${max}`,
    (n) => n >= min && n <= max,
  );
}

/** Checks that `value` is a function or undefined. */
export function checkFunction<F>(field: string, value: unknown, opts: FieldContext = {}): F | undefined {
  if (value === undefined || typeof value === 'function') return value as F | undefined;
  throw invalidOption(field, 'a function', value, opts.plugin);
}

/**
 * Checks that `value` is an object (options of a part) whose keys, when `keys` is given, are all among them (see
 * {@link checkKeys}); `{}` when undefined. Internal.
 */
export function checkObject<T extends object>(
  field: string,
  value: T | undefined,
  plugin?: string,
  keys?: readonly string[],
): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(field, 'an object', value, plugin);
  }
  if (keys) checkKeys(value, keys, plugin, field === 'options' ? undefined : field);
  return value;
}

/**
 * Throws `STARTUP_ERR_INVALID_OPTION` naming the first key of `value` not among `keys` (as `prefix.key` under a
 * `prefix`), so a misspelt option fails instead of being ignored. Its value is not shown: a misspelt `password`
 * holds a password.
 */
export function checkKeys(value: object, keys: readonly string[], plugin?: string, prefix?: string): void {
  for (const key of Object.keys(value)) {
    if (keys.includes(key)) continue;
    if (/^[A-Za-z_$][\w$]*$/.test(key)) {
      const field = prefix === undefined ? key : `${prefix}.${key}`;
      throw invalidOption(field, `a known option (one of ${keys.join(', ')})`, '(unknown)', plugin);
    }
    // A key no one would type (quotes, dots, spaces): named through the object holding it.
    throw invalidOption(
      prefix ?? 'options',
      `known option names only (one of ${keys.join(', ')})`,
      key,
      plugin,
    );
  }
}

/** The one rule behind every check: `fallback` for undefined, else a finite number passing `valid` (or +Infinity when allowed). */
function check(
  field: string,
  value: unknown,
  fallback: number,
  opts: FieldContext & { allowInfinity?: boolean },
  expected: string,
  valid: (n: number) => boolean,
): number {
  if (value === undefined) return fallback;
  const ok = value === Infinity ? opts.allowInfinity : Number.isFinite(value) && valid(value as number);
  if (ok) return value as number;
  throw invalidOption(field, expected + (opts.allowInfinity ? ' or Infinity' : ''), value, opts.plugin);
}
