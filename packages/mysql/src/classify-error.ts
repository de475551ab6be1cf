import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  errorCode,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `mysql()` throws and reports, each with what it means. The mysql2 or network code stays on `cause.code`. */
export const mysqlErrorCodes = Object.freeze({
  STARTUP_ERR_MYSQL_UNAVAILABLE:
    'Not reachable, shutting down, too many connections, connection lost; retried.',
  STARTUP_ERR_MYSQL_TIMEOUT: 'No answer within connectTimeoutMs (a silent server), ETIMEDOUT; retried.',
  STARTUP_ERR_MYSQL_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_MYSQL_AUTH:
    'Password rejected, unknown user, host not allowed, no access to the database; not retried.',
  STARTUP_ERR_MYSQL_DATABASE: 'The database does not exist (ER_BAD_DB_ERROR, 1049); not retried.',
  STARTUP_ERR_MYSQL_TLS: 'TLS failed (server without SSL, certificates); not retried.',
  STARTUP_ERR_MYSQL_FAILED: 'Anything else: not retried for a server error, retried otherwise.',
} as const);

/** Stable codes of this connector's errors. Match on these, not on message text. */
export type MysqlErrorCode = keyof typeof mysqlErrorCodes;

/** What an error means for the start: its code, whether to retry, the client's reason and what to fix. */
export type MysqlErrorClass = ErrorClass<MysqlErrorCode>;

/** Options of {@link classifyMysqlError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
}

// Server errors (mysql2 `code`, MySQL and MariaDB numbers) that a wait can cure.
const busy = new Set([
  'ER_CON_COUNT_ERROR', // 1040 too many connections
  'ER_TOO_MANY_USER_CONNECTIONS', // 1203
  'ER_SERVER_SHUTDOWN', // 1053
  'ER_SERVER_ISNT_AVAILABLE', // 3168
  'ER_OUT_OF_RESOURCES', // 1041
  'ER_CONNECTION_KILLED', // MariaDB 1927
  'ER_NET_READ_INTERRUPTED', // 1159
  'ER_NET_READ_ERROR', // 1158
  'ER_NET_ERROR_ON_WRITE', // 1160
  'ER_NET_WRITE_INTERRUPTED', // 1161
]);
const lost = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
]);
const timeouts = new Set([
  'ETIMEDOUT',
  'ER_QUERY_TIMEOUT', // MySQL 3024
  'ER_STATEMENT_TIMEOUT', // MariaDB 1969
]);
// mysql2's own pool messages, which carry no code.
const poolClosed = /^Pool is closed\.$|^Queue limit reached\.$|^No connections available\.$/;

/**
 * Classifies an error from mysql2 or the network while connecting or checking.
 * Transient (retry): refused, reset, unreachable, DNS `EAI_AGAIN`, timeouts, the connection lost, too many
 * connections (`ER_CON_COUNT_ERROR`), the server shutting down.
 * Permanent (fail at once): a rejected password or unknown user (`ER_ACCESS_DENIED_ERROR` 1045,
 * `ER_ACCESS_DENIED_NO_PASSWORD_ERROR` 1698), a host not allowed (1130), no access to the database (1044),
 * an unknown database (`ER_BAD_DB_ERROR` 1049), TLS problems, other server errors.
 * `ENOTFOUND` is transient unless `retryUnresolvedHost` is `false`: in Docker and Kubernetes a service's name
 * resolves only once the service runs, so "not found" often means "not yet".
 */
export function classifyMysqlError(error: unknown, options: ClassifyOptions = {}): MysqlErrorClass {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const reason = code ?? (error instanceof Error ? error.name : 'Error');
  const transient = (kind: MysqlErrorCode, hint: string): MysqlErrorClass => ({
    code: kind,
    retryable: true,
    reason,
    hint,
  });
  const permanent = (kind: MysqlErrorCode, hint: string): MysqlErrorClass => ({
    code: kind,
    retryable: false,
    reason,
    hint,
  });

  if (code === 'ENOTFOUND') {
    const text = 'the host name does not resolve; check the host (or the service name in your network)';
    return (options.retryUnresolvedHost ?? true)
      ? transient('STARTUP_ERR_MYSQL_HOST_NOT_FOUND', `${text}; retrying in case it is not registered yet`)
      : permanent('STARTUP_ERR_MYSQL_HOST_NOT_FOUND', text);
  }
  if (code !== undefined && timeouts.has(code)) {
    return transient('STARTUP_ERR_MYSQL_TIMEOUT', 'the server did not answer in time');
  }
  if (code !== undefined && transientNetworkCodes.has(code)) {
    return transient('STARTUP_ERR_MYSQL_UNAVAILABLE', 'the server is not reachable');
  }
  if (code !== undefined && busy.has(code)) {
    return transient(
      'STARTUP_ERR_MYSQL_UNAVAILABLE',
      'the server is busy or shutting down (out of connections?); retrying',
    );
  }
  if (code !== undefined && lost.has(code)) {
    return transient('STARTUP_ERR_MYSQL_UNAVAILABLE', 'the connection was lost');
  }
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return permanent(
      'STARTUP_ERR_MYSQL_AUTH',
      'the login was rejected (wrong password or unknown user); fix the user or the password',
    );
  }
  if (code === 'ER_HOST_NOT_PRIVILEGED' || code === 'ER_HOST_IS_BLOCKED') {
    return permanent(
      'STARTUP_ERR_MYSQL_AUTH',
      "the server does not accept this client's host; fix the user's allowed hosts (or FLUSH HOSTS)",
    );
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR') {
    return permanent(
      'STARTUP_ERR_MYSQL_AUTH',
      'the user may not use this database; GRANT access or use another user',
    );
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return permanent(
      'STARTUP_ERR_MYSQL_DATABASE',
      'the database does not exist; fix the database name or create it',
    );
  }
  if (
    code === 'HANDSHAKE_NO_SSL_SUPPORT' ||
    code === 'HANDSHAKE_SSL_ERROR' ||
    (code !== undefined && tlsErrorCode.test(code))
  ) {
    return permanent('STARTUP_ERR_MYSQL_TLS', 'TLS failed; check mysql2.ssl and the server certificates');
  }
  if (poolClosed.test(message)) {
    return transient('STARTUP_ERR_MYSQL_UNAVAILABLE', 'the pool is closed or has no free connection');
  }
  if (hasServerErrno(error)) {
    return permanent('STARTUP_ERR_MYSQL_FAILED', 'the server rejected the request');
  }
  return transient('STARTUP_ERR_MYSQL_FAILED', 'unexpected error');
}

/** A server error packet: mysql2 gives it a numeric `errno` and a `sqlState`. */
function hasServerErrno(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, sqlState } = error as { errno?: unknown; sqlState?: unknown };
  return typeof errno === 'number' && typeof sqlState === 'string';
}

/** Context for {@link mysqlStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** The server, without the password: `mysql://app@db:3306/app`. */
  target: string;
  /** Literal secrets (the password) to keep out of the message. Defaults to none. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting or checking into a `StartupError` with a `MysqlErrorCode`, `retryable: false`
 * when retrying cannot help, a message that names the server and says what to fix, and the original as `cause` (a
 * redacted copy when a secret shows in it). A `StartupError` is returned as it is.
 */
export function mysqlStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyMysqlError(error, ctx), { service: 'MySQL', ...ctx });
}
