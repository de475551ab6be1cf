import { isStartupError, StartupError } from '@startup/core';
import { redactSecrets, tlsErrorCode, transientNetworkCodes } from '@startup/core/plugin-kit';

/** Error codes of this connector. The pg or network code stays on `cause.code`. */
export type PostgresErrorCode =
  | 'STARTUP_ERR_POSTGRES_UNAVAILABLE'
  | 'STARTUP_ERR_POSTGRES_TIMEOUT'
  | 'STARTUP_ERR_POSTGRES_UNKNOWN_HOST'
  | 'STARTUP_ERR_POSTGRES_AUTH'
  | 'STARTUP_ERR_POSTGRES_DATABASE'
  | 'STARTUP_ERR_POSTGRES_TLS'
  | 'STARTUP_ERR_POSTGRES_FAILED';

/** What an error means for the start: retry or fail at once, and what to tell the operator. */
export interface PostgresErrorClass {
  code: PostgresErrorCode;
  /** `true` when waiting and trying again can help. */
  retryable: boolean;
  /** What happened and, for a permanent error, what to fix. */
  explanation: string;
}

// pg reports these without a code; matched on its own fixed wording.
const timeoutMessages =
  /timeout expired|connection timeout|timeout exceeded when trying to connect|Query read timeout/i;
const droppedMessages = /Connection terminated|Connection ended unexpectedly|not queryable/i;
const tlsMessages = /does not support SSL|SSL connection|certificate/i;
const passwordMissing =
  /SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string|password must be a string/i;

/**
 * Classifies an error from pg or the network while connecting or checking.
 * Transient (retry): refused, reset, unreachable, DNS `EAI_AGAIN`, timeouts, the server starting or
 * shutting down (`57P01`–`57P03`), too many connections (`53300`), any connection exception (`08…`).
 * Permanent (fail at once): bad password (`28P01`), unknown role or rejected by `pg_hba.conf` (`28000`),
 * unknown database (`3D000`), no `CONNECT` privilege (`42501`), TLS problems, other SQL errors.
 * `ENOTFOUND` is transient unless `unknownHost` is `'fail'`: in Docker and Kubernetes a service's name
 * resolves only once the service runs, so "not found" often means "not yet".
 */
export function classifyPostgresError(
  error: unknown,
  options: { unknownHost?: 'retry' | 'fail' } = {},
): PostgresErrorClass {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const transient = (kind: PostgresErrorCode, explanation: string): PostgresErrorClass => ({
    code: kind,
    retryable: true,
    explanation,
  });
  const permanent = (kind: PostgresErrorCode, explanation: string): PostgresErrorClass => ({
    code: kind,
    retryable: false,
    explanation,
  });

  if (code === 'ENOTFOUND') {
    const text = 'the host name does not resolve; check the host (or the service name in your network)';
    return options.unknownHost === 'fail'
      ? permanent('STARTUP_ERR_POSTGRES_UNKNOWN_HOST', text)
      : transient('STARTUP_ERR_POSTGRES_UNKNOWN_HOST', `${text}; retrying in case it is not registered yet`);
  }
  if (code === 'ETIMEDOUT' || timeoutMessages.test(message) || code === '57014') {
    return transient('STARTUP_ERR_POSTGRES_TIMEOUT', 'the server did not answer in time');
  }
  if (code !== undefined && transientNetworkCodes.has(code)) {
    return transient('STARTUP_ERR_POSTGRES_UNAVAILABLE', 'the server is not reachable');
  }
  if (code === '28P01') {
    return permanent(
      'STARTUP_ERR_POSTGRES_AUTH',
      'the password was rejected; fix the password for this user',
    );
  }
  if (code === '28000') {
    return permanent(
      'STARTUP_ERR_POSTGRES_AUTH',
      'the login was rejected (unknown role, or no pg_hba.conf entry); fix the user name or the server access rules',
    );
  }
  if (code === '3D000') {
    return permanent(
      'STARTUP_ERR_POSTGRES_DATABASE',
      'the database does not exist; fix the database name or create it',
    );
  }
  if (code === '42501') {
    return permanent(
      'STARTUP_ERR_POSTGRES_AUTH',
      'the role may not connect to this database; GRANT CONNECT or use another role',
    );
  }
  if (passwordMissing.test(message)) {
    return permanent(
      'STARTUP_ERR_POSTGRES_AUTH',
      'the server asks for a password and none was given; set the password',
    );
  }
  if ((code !== undefined && tlsErrorCode.test(code)) || tlsMessages.test(message)) {
    return permanent(
      'STARTUP_ERR_POSTGRES_TLS',
      'TLS failed; fix the ssl / sslmode settings or the certificates',
    );
  }
  if (code === '57P01' || code === '57P02' || code === '57P03') {
    return transient('STARTUP_ERR_POSTGRES_UNAVAILABLE', 'the server is starting up or shutting down');
  }
  if (code === '53300' || code?.startsWith('53')) {
    return transient('STARTUP_ERR_POSTGRES_UNAVAILABLE', 'the server is out of connections or resources');
  }
  if (code?.startsWith('08') || code?.startsWith('58') || droppedMessages.test(message)) {
    return transient('STARTUP_ERR_POSTGRES_UNAVAILABLE', 'the connection was lost');
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    return permanent('STARTUP_ERR_POSTGRES_FAILED', 'the server rejected the request');
  }
  return transient('STARTUP_ERR_POSTGRES_FAILED', 'unexpected error');
}

/**
 * Wraps `error` in a {@link StartupError} carrying its class: code, `retryable`, and a message naming
 * the plugin and the server (`target`, password redacted). The original error is the `cause`.
 * A `StartupError` is returned as it is.
 */
export function toPostgresError(
  error: unknown,
  context: { plugin: string; target: string; unknownHost?: 'retry' | 'fail' },
): StartupError {
  if (isStartupError(error)) return error;
  const kind = classifyPostgresError(error, context);
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const message = `Plugin "${context.plugin}": PostgreSQL at ${context.target}: ${kind.explanation} (${code ? `${code}: ` : ''}${detail})`;
  return new StartupError(kind.code, redactSecrets(message), {
    plugin: context.plugin,
    cause: error,
    retryable: kind.retryable,
  });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // pg wraps the socket error of a timed-out connect in `cause`.
  return error instanceof Error && error.cause !== undefined ? errorCode(error.cause) : undefined;
}
