import { redactSecrets } from '@startup/core';

/**
 * The message of `error` with URL passwords and the literal `secrets` replaced by `****`, and a cause
 * safe to attach: `error` itself when its message held nothing to redact, otherwise a redacted copy
 * (same name and code, no further cause).
 */
export function redactError(error: unknown, secrets: readonly string[]): { message: string; cause: unknown } {
  const text = error instanceof Error ? error.message : String(error);
  const message = redactSecrets(text, secrets);
  if (message === text) return { message, cause: error };
  const copy = new Error(message);
  if (error instanceof Error) copy.name = error.name;
  const code = (error as { code?: unknown } | null)?.code;
  return { message, cause: typeof code === 'string' ? Object.assign(copy, { code }) : copy };
}
