/** A posted event that cannot be stored as sent: the client's mistake, answered 400 with this message. */
export class InvalidEventError extends Error {
  /** The HTTP status the error handler answers with. */
  readonly statusCode = 400;
  /** Stable code of the answer. */
  readonly code = 'INVALID_EVENT';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/** A UTF-16 surrogate without its other half: JSON can carry it (`"\ud800"`), jsonb cannot. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || loneSurrogate.test(text);
}

/** What in a posted value cannot be stored as sent, and where (`body/payload/items/0`). */
export interface Unstorable {
  path: string;
  /** `text`: a NUL character or an unpaired surrogate; `number`: a number too large for a double (`1e400`). */
  problem: 'text' | 'number';
}

/**
 * The first place in `value`, below `path`, that cannot be stored as sent, or `undefined` when there is none:
 * a key or string holding text PostgreSQL's jsonb cannot store (a NUL character, an unpaired surrogate), or a
 * number JSON parsing turned into `Infinity` (`1e400`), which would be stored as `null`.
 * Iterative: nesting is bounded only by the body limit.
 */
export function unstorableAt(value: unknown, path: string): Unstorable | undefined {
  const pending: Array<[unknown, string]> = [[value, path]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      if (unstorable(item)) return { path: at, problem: 'text' };
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return { path: at, problem: 'number' };
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (unstorable(key)) return { path: `a key of ${at}`, problem: 'text' };
        pending.push([child, `${at}/${key}`]);
      }
    }
  }
  return undefined;
}

/** Why an {@link Unstorable} value is refused, naming where it is: the message of the 400 answer. */
export function unstorableMessage({ path, problem }: Unstorable): string {
  return problem === 'number'
    ? `${path} must be a finite number: it is too large for a double (such as 1e400) and would be stored as null`
    : `${path} must not contain a NUL character (\\u0000) or an unpaired surrogate: PostgreSQL cannot store them`;
}

/** Whether `error` is a PostgreSQL data exception (SQLSTATE class 22): the value is at fault, not the server. */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
