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

/**
 * Where in `value` a key or string holds text PostgreSQL's jsonb cannot store (a NUL character, an
 * unpaired surrogate), as a path below `path` (`body/payload/items/0`), or `undefined` when there is none.
 * Iterative: nesting is bounded only by the body limit.
 */
export function unstorableTextAt(value: unknown, path: string): string | undefined {
  const pending: Array<[unknown, string]> = [[value, path]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      if (unstorable(item)) return at;
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (unstorable(key)) return `a key of ${at}`;
        pending.push([child, `${at}/${key}`]);
      }
    }
  }
  return undefined;
}

/** Whether `error` is a PostgreSQL data exception (SQLSTATE class 22): the value is at fault, not the server. */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
