import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  errorCode,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `httpService()` throws and reports, each with what it means. The network code or status stays on the cause. */
export const httpServiceErrorCodes = Object.freeze({
  STARTUP_ERR_HTTP_UNAVAILABLE:
    'Not reachable (refused, reset), or the upstream answered 5xx, 408 or 429; retried.',
  STARTUP_ERR_HTTP_TIMEOUT:
    'No connection within connectTimeoutMs or no response within responseTimeoutMs; retried.',
  STARTUP_ERR_HTTP_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_HTTP_AUTH: 'The upstream answered 401 or 403: credentials missing or rejected; not retried.',
  STARTUP_ERR_HTTP_REJECTED: 'The upstream answered another 4xx (404: no such healthPath); not retried.',
  STARTUP_ERR_HTTP_UNHEALTHY:
    'The upstream answered, but not with expectStatus or a body expectBody accepts; retried (it may be warming up).',
  STARTUP_ERR_HTTP_TLS: 'TLS failed (certificates, a plain-HTTP server on https:); not retried.',
  STARTUP_ERR_HTTP_FAILED: 'Anything else; retried.',
} as const);

/** Stable codes of this connector's errors. Match on these, not on message text. */
export type HttpServiceErrorCode = keyof typeof httpServiceErrorCodes;

/** What an error means for the start: its code, whether to retry, the client's reason and what to fix. */
export type HttpServiceErrorClass = ErrorClass<HttpServiceErrorCode>;

/** Options of {@link classifyHttpServiceError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
}

/**
 * The health answer was not the one expected: its `status`, and the wait a `Retry-After` header asked for
 * (`retryAfterMs`, in milliseconds; `undefined` without one). The body is never kept: it is the upstream's.
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  /** `HTTP_<status>` (`HTTP_503`), or `HTTP_BODY` when only the body check failed. */
  readonly code: string;

  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    bodyRejected = false,
  ) {
    const wait = retryAfterMs === undefined ? '' : `; Retry-After asks for ${retryAfterMs} ms`;
    super(bodyRejected ? `status ${status}, body not accepted by expectBody` : `status ${status}${wait}`);
    this.code = bodyRejected ? 'HTTP_BODY' : `HTTP_${status}`;
  }
}

/** The wait a `Retry-After` value asks for, in milliseconds (seconds or an HTTP date, at most a day); `undefined` when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Math.min(Number(text), 86_400) * 1000;
  if (text.length > 64) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), 86_400_000);
}

const undiciTimeouts = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const undiciDropped = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

/**
 * Classifies an error met while starting or checking: a network error from fetch (its code on the cause), a
 * timeout, or an {@link HttpStatusError}.
 * Transient (retry): refused, reset, unreachable, timeouts, `EAI_AGAIN`, 5xx, 408, 429, a status or body that is
 * not the expected one. Permanent (fail at once): 401 / 403, any other 4xx, TLS failures.
 * `ENOTFOUND` is transient unless `retryUnresolvedHost` is `false`.
 */
export function classifyHttpServiceError(
  error: unknown,
  options: ClassifyOptions = {},
): HttpServiceErrorClass {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : undefined;
  const reason = code ?? name ?? 'Error';
  const transient = (kind: HttpServiceErrorCode, hint: string): HttpServiceErrorClass => ({
    code: kind,
    retryable: true,
    reason,
    hint,
  });
  const permanent = (kind: HttpServiceErrorCode, hint: string): HttpServiceErrorClass => ({
    code: kind,
    retryable: false,
    reason,
    hint,
  });

  if (error instanceof HttpStatusError) return classifyStatus(error, transient, permanent);
  if (code === 'ENOTFOUND') {
    const text = 'the host name does not resolve; check the host (or the service name in your network)';
    return (options.retryUnresolvedHost ?? true)
      ? transient('STARTUP_ERR_HTTP_HOST_NOT_FOUND', `${text}; retrying in case it is not registered yet`)
      : permanent('STARTUP_ERR_HTTP_HOST_NOT_FOUND', text);
  }
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || (code !== undefined && undiciTimeouts.has(code))) {
    return transient(
      'STARTUP_ERR_HTTP_TIMEOUT',
      'the upstream did not answer in time (connectTimeoutMs, responseTimeoutMs)',
    );
  }
  if (code !== undefined && (transientNetworkCodes.has(code) || undiciDropped.has(code))) {
    return transient('STARTUP_ERR_HTTP_UNAVAILABLE', 'the upstream is not reachable');
  }
  if (code !== undefined && tlsErrorCode.test(code)) {
    return permanent('STARTUP_ERR_HTTP_TLS', 'TLS failed; fix the certificates or the scheme of url');
  }
  return transient('STARTUP_ERR_HTTP_FAILED', 'unexpected error');
}

function classifyStatus(
  error: HttpStatusError,
  transient: (kind: HttpServiceErrorCode, hint: string) => HttpServiceErrorClass,
  permanent: (kind: HttpServiceErrorCode, hint: string) => HttpServiceErrorClass,
): HttpServiceErrorClass {
  const { status } = error;
  if (error.code === 'HTTP_BODY') {
    return transient('STARTUP_ERR_HTTP_UNHEALTHY', 'the health answer is not ready yet (expectBody)');
  }
  if (status === 408 || status === 429 || status >= 500) {
    const busy = status === 429 ? 'the upstream is rate limiting' : 'the upstream is not available';
    return transient('STARTUP_ERR_HTTP_UNAVAILABLE', busy);
  }
  if (status === 401 || status === 403) {
    return permanent(
      'STARTUP_ERR_HTTP_AUTH',
      'the credentials were missing or rejected; fix authorization, headers, or the user and password',
    );
  }
  if (status === 404) {
    return permanent('STARTUP_ERR_HTTP_REJECTED', 'the health URL does not exist; fix healthPath');
  }
  if (status >= 400)
    return permanent('STARTUP_ERR_HTTP_REJECTED', 'the upstream rejected the health request');
  return transient('STARTUP_ERR_HTTP_UNHEALTHY', 'the health answer has another status than expectStatus');
}

/** Context for {@link httpServiceStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** The upstream, credentials left out: `https://api.example.com/v1/`. */
  target: string;
  /** Literal secrets (password, header values) to keep out of the message. Defaults to none. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting or checking into a `StartupError` with an `HttpServiceErrorCode`,
 * `retryable: false` when retrying cannot help, a message that names the upstream and says what to fix, and the
 * original as `cause` (a redacted copy when a secret shows in it). A `StartupError` is returned as it is.
 */
export function httpServiceStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyHttpServiceError(error, ctx), { service: 'HTTP upstream', ...ctx });
}
