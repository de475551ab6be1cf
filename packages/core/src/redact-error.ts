import { redactSecrets } from './redact.js';

/** Own fields of a Node or ioredis error worth keeping on a redacted copy (primitives only). */
const keptFields = ['code', 'errno', 'syscall', 'address', 'port'] as const;
/** How deep the search for a secret goes before calling an error unsafe to keep. */
const maxDepth = 8;

/**
 * The message of `error` with URL passwords and the literal `secrets` replaced by `****`, and a cause
 * safe to attach: `error` itself when no secret shows anywhere in it (message, stack, any own field,
 * nested or not, its causes), otherwise a redacted copy. A secret need not be in the message: ioredis'
 * `ReplyError` to AUTH carries the password in `command.args`.
 */
export function redactError(error: unknown, secrets: readonly string[]): { message: string; cause: unknown } {
  const text = error instanceof Error ? error.message : String(error);
  return { message: redactSecrets(text, secrets), cause: safeCause(error, secrets, 0) };
}

/**
 * `value` when it holds no secret; otherwise an `Error` with the redacted message and stack, the same
 * name, the primitive fields of {@link keptFields}, the name (not the arguments) of a failed command,
 * and a cause made safe the same way.
 */
function safeCause(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (!holdsSecret(value, secrets, 0, new Set())) return value;
  const redact = (text: string) => redactSecrets(text, secrets);
  if (!(value instanceof Error)) return new Error(redact(String(value)));
  const copy = new Error(redact(value.message));
  copy.name = redact(value.name);
  if (value.stack !== undefined) copy.stack = redact(value.stack);
  const fields = value as unknown as Record<string, unknown>;
  for (const key of keptFields) {
    const field = fields[key];
    if (typeof field === 'string') Object.assign(copy, { [key]: redact(field) });
    else if (typeof field === 'number') Object.assign(copy, { [key]: field });
  }
  const command = (fields.command as { name?: unknown } | undefined)?.name;
  if (typeof command === 'string') Object.assign(copy, { command: { name: redact(command) } });
  if (value.cause !== undefined && depth < maxDepth) copy.cause = safeCause(value.cause, secrets, depth + 1);
  return copy;
}

/**
 * Whether a secret (a literal one, or a URL password / `password=` pair) shows in `value`: its text, or
 * any own property, enumerable or not (`message`, `stack`, `cause`, `errors`), at any depth. Anything
 * that cannot be read, or nests deeper than {@link maxDepth}, counts as holding one.
 */
function holdsSecret(value: unknown, secrets: readonly string[], depth: number, seen: Set<object>): boolean {
  if (typeof value === 'string') return redactSecrets(value, secrets) !== value;
  if (typeof value !== 'object' || value === null) return false;
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return holdsSecret(bytes.toString('utf8'), secrets, depth, seen);
  }
  if (seen.has(value)) return false;
  if (depth >= maxDepth) return true;
  seen.add(value);
  try {
    return Reflect.ownKeys(value).some((key) =>
      holdsSecret((value as Record<PropertyKey, unknown>)[key], secrets, depth + 1, seen),
    );
  } catch {
    return true;
  }
}
