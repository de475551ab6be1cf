import { isStartupError } from '@startup/core';

/** The field an `STARTUP_ERR_INVALID_OPTION` message names: `Invalid option "defaults.retry.jitter"…`. */
export function namedField(message: string): string | undefined {
  return /Invalid option "([^"]+)"/.exec(message)?.[1];
}

/**
 * True when `path` (`defaults.retry.maxAttempts`, `plugins[2].name`, `servers[1]`) leads to a key that was
 * given in `input`: the error names something the caller actually wrote, not an internal name.
 */
export function pathExists(input: unknown, path: string): boolean {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let at: unknown = input;
  for (const key of keys) {
    if ((typeof at !== 'object' && typeof at !== 'function') || at === null || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Describes how a factory rejected its input when that was not the contract (a StartupError with code
 * `STARTUP_ERR_INVALID_OPTION` naming a field the input has), or `undefined` when it was.
 * `inputs` are where the field may live: the options, and for a runner the plugin the error names.
 */
export function rejectionProblem(error: unknown, inputs: readonly unknown[]): string | undefined {
  if (!isStartupError(error)) return `not a StartupError: ${String(error)}`;
  if (error.code !== 'STARTUP_ERR_INVALID_OPTION') return `code ${error.code}: ${error.message}`;
  const field = namedField(error.message);
  if (field === undefined) return `names no field: ${error.message}`;
  if (field === 'options') return undefined;
  if (inputs.some((input) => pathExists(input, field))) return undefined;
  // A missing companion ("pass" to go with "user") is named too; the message then quotes the given field.
  const given = inputs.flatMap((input) =>
    typeof input === 'object' && input !== null ? Object.keys(input) : [],
  );
  if (given.some((key) => error.message.includes(`"${key}"`) && key !== field)) return undefined;
  return `names "${field}", not in the input`;
}
