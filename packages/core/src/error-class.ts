import { isStartupError, StartupError } from './errors.js';
import { redactError } from './redact-error.js';

/**
 * What an error met by a connector means for the start: its stable code, whether waiting and trying again can
 * help, the client's own reason and what the operator should do. Every connector's `classify<X>Error` returns it.
 */
export interface ErrorClass<Code extends string = string> {
  /** The connector's stable code: `STARTUP_ERR_<X>_AUTH`, `STARTUP_ERR_<X>_HOST_NOT_FOUND`… */
  code: Code;
  /** `true` when waiting and trying again can help; `false` stops the retries at once. */
  retryable: boolean;
  /** The client's or server's own reason: `ECONNREFUSED`, `28P01`, `WRONGPASS`, `Authorization Violation`… */
  reason: string;
  /** What went wrong and what to fix, naming the option to change; without the server (the wrapper adds it). */
  hint: string;
}

/** Where a connector's error happened, for {@link connectorError}. */
export interface ConnectorErrorContext {
  /** The service as messages name it: `'Redis'`, `'PostgreSQL'`, `'NATS'`. */
  service: string;
  /** The plugin's name. */
  plugin: string;
  /** The server as messages show it, without credentials: `host:port/db`, a redacted URL. */
  target: string;
  /** Literal secrets (a password, a token) to keep out of the message and the cause. Defaults to none. */
  secrets?: readonly string[];
}

/**
 * Turns an error a connector met into a {@link StartupError} carrying `found`: its code and `retryable`, a message
 * that names the service, the server and the plugin and says what to fix (`found.hint`) with the client's own
 * message, and the original error as `cause`, or a redacted copy of it when a secret shows anywhere in it. URL
 * passwords and the literal `secrets` never appear. A `StartupError` (a timeout, an abort) is returned as it is.
 */
export function connectorError(error: unknown, found: ErrorClass, ctx: ConnectorErrorContext): StartupError {
  if (isStartupError(error)) return error;
  const { message, cause } = redactError(error, ctx.secrets ?? []);
  // The reason is shown unless the client's message already starts with it (`WRONGPASS invalid…`).
  const detail = message.startsWith(found.reason) ? message : `${found.reason}: ${message}`;
  return new StartupError(
    found.code,
    `${ctx.service} ${ctx.target} (plugin "${ctx.plugin}"): ${found.hint} (${detail})`,
    { plugin: ctx.plugin, cause, retryable: found.retryable },
  );
}

/** The `code` of `error` or of its causes (at most 5 deep), the first that is a string: `ECONNREFUSED`, `28P01`. */
export function errorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}
