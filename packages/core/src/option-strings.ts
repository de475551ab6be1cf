import { invalidOption } from './errors.js';
import type { FieldContext } from './options.js';

/**
 * Checks a non-empty string, matching `pattern` when given (`expected` then says what is expected);
 * `fallback` when undefined. Throws `STARTUP_ERR_INVALID_OPTION` naming the field (the value shown redacted).
 */
export function checkString<F extends string | undefined>(
  field: string,
  value: unknown,
  fallback: F,
  opts: FieldContext & { pattern?: RegExp; expected?: string } = {},
): string | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim().length === 0 || (opts.pattern && !opts.pattern.test(value))) {
    throw invalidOption(field, opts.expected ?? 'a non-empty string', value, opts.plugin);
  }
  return value;
}

/** Checks a credential (password, token): a non-empty string or undefined. The value is never shown, not even redacted. */
export function checkSecret(field: string, value: unknown, opts: FieldContext = {}): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidOption(
      field,
      'a non-empty string',
      typeof value === 'string' ? '(empty)' : typeof value,
      opts.plugin,
    );
  }
  return value;
}

/** Checks `true` or `false`; `fallback` when undefined. */
export function checkBoolean(
  field: string,
  value: unknown,
  fallback: boolean,
  opts: FieldContext = {},
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(field, 'true or false', value, opts.plugin);
  return value;
}

/**
 * Checks the options a connector passes through to its client (`pg`, `ioredis`, `client`): an object, or `{}` when
 * undefined, that sets none of the `managed` keys (the plugin sets those from its own options; the error names
 * `field.key`).
 */
export function checkPassThrough<T extends object>(
  field: string,
  value: unknown,
  managed: readonly string[],
  opts: FieldContext = {},
): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null)
    throw invalidOption(field, 'an object', value, opts.plugin);
  for (const key of managed) {
    if (key in value) {
      throw invalidOption(
        `${field}.${key}`,
        'no value here: the plugin sets it from its own options',
        '(set)',
        opts.plugin,
      );
    }
  }
  return value as T;
}
