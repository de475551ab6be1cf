import type { StartupErrorCode } from './error-codes.js';
import { redactSecrets } from './redact.js';
import { hideUserInfo } from './user-info.js';

const brand = Symbol.for('@startup/core.error');

export type { StartupErrorCode } from './error-codes.js';

/** Options of {@link StartupError}. */
export interface StartupErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** The plugin at fault, when there is one. */
  plugin?: string;
  /** `false` when retrying cannot help (bad password, unknown database). Defaults to unset (the classifier decides). */
  retryable?: boolean;
}

/**
 * The one error class of `@startup/*`. `code` is stable; `plugin` names the plugin at fault.
 * Use {@link isStartupError} rather than `instanceof`: it survives two installed copies.
 */
export class StartupError extends Error {
  declare readonly code: StartupErrorCode | (string & {});
  declare readonly plugin: string | undefined;
  declare readonly retryable: boolean | undefined;
  declare readonly [brand]: true;

  constructor(code: StartupErrorCode | (string & {}), message: string, options: StartupErrorOptions = {}) {
    const { cause, plugin, retryable } = options;
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, { name: 'StartupError', code, plugin, retryable, [brand]: true });
  }

  /** A plain object safe to log or serialise: code, message, plugin and the cause's message. */
  toJSON(): ErrorInfo {
    return describeError(this);
  }
}

/** A StartupError retrying cannot fix: `retryable: false`, naming `plugin` when given. Internal. */
export function permanentError(
  code: StartupErrorCode,
  message: string,
  plugin?: string,
  cause?: unknown,
): StartupError {
  return new StartupError(code, message, { plugin, cause, retryable: false });
}

/**
 * Startup failed: every failure with its cause, in the order they happened. The message lists them one a line,
 * each with its plugin and code; a plugin cut short by the failure of the start says why its last attempt failed.
 */
export class StartupFailedError extends StartupError {
  /** One entry per plugin that failed (or was aborted), each a {@link StartupError}. */
  declare readonly failures: readonly StartupError[];

  constructor(
    code: StartupErrorCode | (string & {}),
    message: string,
    failures: readonly StartupError[],
    cause?: unknown,
  ) {
    // Each line names its plugin (a failure of the start as a whole, such as the deadline, has none).
    const line = (f: StartupError) =>
      `\n  - ${f.plugin === undefined ? '' : `${f.plugin}: `}[${f.code}] ${f.message}`;
    const detail = redactSecrets(failures.map(line).join(''));
    super(code, message + detail, { cause: cause ?? failures[0] });
    Object.assign(this, { name: 'StartupFailedError', failures });
  }
}

/** `true` for any `@startup/*` error, even one thrown by another installed copy of this package. */
export function isStartupError(error: unknown): error is StartupError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

/** A serialisable description of an error, as it appears in reports and events. */
export interface ErrorInfo {
  /** The error's `code` (a `StartupErrorCode`, or a client's code such as `ECONNREFUSED` or `28P01`). */
  code?: string;
  name: string;
  message: string;
  plugin?: string;
  /** The message of the underlying cause, when there is one. */
  cause?: string;
}

/** Describes any thrown value as an {@link ErrorInfo}; passwords in URLs are redacted. */
export function describeError(error: unknown): ErrorInfo {
  if (!(error instanceof Error)) return { name: 'Error', message: redactSecrets(String(error)) };
  const { name, message, code, plugin, cause } = error as Error & { code?: unknown; plugin?: string };
  // Whatever a thrown object carries, the report stays the documented shape: strings.
  const info: ErrorInfo = {
    name: typeof name === 'string' ? name : 'Error',
    message: redactSecrets(String(message)),
  };
  if (typeof code === 'string' || typeof code === 'number') info.code = String(code);
  if (isStartupError(error) && plugin !== undefined) info.plugin = plugin;
  if (cause !== undefined) info.cause = describeError(cause).message;
  return info;
}

/** An `STARTUP_ERR_INVALID_OPTION` error naming `field` (and the plugin); string values are shown redacted. */
export function invalidOption(
  field: string,
  expected: string,
  value: unknown,
  plugin?: string,
): StartupError {
  // The plugin's name may itself be the bad value (a symbol, an object): name it only when it is a string.
  const named = typeof plugin === 'string' ? plugin : undefined;
  const where = named === undefined ? '' : ` of plugin "${named}"`;
  return permanentError(
    'STARTUP_ERR_INVALID_OPTION',
    `Invalid option "${field}"${where}: expected ${expected}, got ${formatValue(value)}`,
    named,
  );
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    // A value that failed validation may be a URL too broken for any pattern: hide all before its last '@'.
    const safe = redactSecrets(hideUserInfo(value));
    return JSON.stringify(safe.length > 60 ? `${safe.slice(0, 60)}…` : safe);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
