import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  errorCode,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `postgres()` throws and reports, each with what it means. The pg or network code stays on `cause.code`. */
export const postgresErrorCodes = Object.freeze({
  STARTUP_ERR_POSTGRES_UNAVAILABLE:
    'Not reachable, starting up or shutting down, out of connections, connection lost; retried.',
  STARTUP_ERR_POSTGRES_TIMEOUT:
    'No answer within connectTimeoutMs (a silent server), ETIMEDOUT, 57014; retried.',
  STARTUP_ERR_POSTGRES_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_POSTGRES_AUTH:
    'Password rejected, unknown role, no pg_hba.conf entry, no CONNECT privilege; not retried.',
  STARTUP_ERR_POSTGRES_DATABASE: 'The database does not exist (3D000); not retried.',
  STARTUP_ERR_POSTGRES_TLS: 'TLS failed (server without SSL, certificates); not retried.',
  STARTUP_ERR_POSTGRES_FAILED: 'Anything else: not retried for a SQLSTATE, retried otherwise.',
} as const);

/** Stable codes of this connector's errors. Match on these, not on message text. */
export type PostgresErrorCode = keyof typeof postgresErrorCodes;

/** What an error means for the start: its code, whether to retry, the client's reason and what to fix. */
export type PostgresErrorClass = ErrorClass<PostgresErrorCode>;

/** Options of {@link classifyPostgresError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
  /** @deprecated `'fail'` is `retryUnresolvedHost: false`; removed in the next minor release. */
  unknownHost?: 'retry' | 'fail';
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
 * `ENOTFOUND` is transient unless `retryUnresolvedHost` is `false`: in Docker and Kubernetes a service's name
 * resolves only once the service runs, so "not found" often means "not yet".
 */
export function classifyPostgresError(error: unknown, options: ClassifyOptions = {}): PostgresErrorClass {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  // The client's own reason: the SQLSTATE or errno, else the error's name.
  const reason = code ?? (error instanceof Error ? error.name : 'Error');
  const transient = (kind: PostgresErrorCode, hint: string): PostgresErrorClass => ({
    code: kind,
    retryable: true,
    reason,
    hint,
  });
  const permanent = (kind: PostgresErrorCode, hint: string): PostgresErrorClass => ({
    code: kind,
    retryable: false,
    reason,
    hint,
  });

  if (code === 'ENOTFOUND') {
    const text = 'the host name does not resolve; check the host (or the service name in your network)';
    const retried = options.retryUnresolvedHost ?? options.unknownHost !== 'fail';
    return retried
      ? transient('STARTUP_ERR_POSTGRES_HOST_NOT_FOUND', `${text}; retrying in case it is not registered yet`)
      : permanent('STARTUP_ERR_POSTGRES_HOST_NOT_FOUND', text);
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

/** Context for {@link postgresStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** The server, password redacted: `postgres://app@db:5432/app`. */
  target: string;
  /** Literal secrets (the password) to keep out of the message. Defaults to none. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting or checking into a `StartupError` with a `PostgresErrorCode`, `retryable: false`
 * when retrying cannot help, a message that names the server and says what to fix, and the original as `cause` (a
 * redacted copy when a secret shows in it). A `StartupError` is returned as it is.
 */
export function postgresStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyPostgresError(error, ctx), { service: 'PostgreSQL', ...ctx });
}

/** @deprecated The old name of {@link postgresStartupError}; removed in the next minor release. */
export const toPostgresError = postgresStartupError;
