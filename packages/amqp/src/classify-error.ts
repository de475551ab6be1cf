import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  errorCode,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `amqp()` throws from `init` and reports at runtime, each with what it means. */
export const amqpErrorCodes = Object.freeze({
  STARTUP_ERR_AMQP_UNAVAILABLE:
    'Not reachable, no answer within connectTimeoutMs, connection closed or forced closed by the broker; retried.',
  STARTUP_ERR_AMQP_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_AMQP_AUTH: 'Login refused (403 ACCESS_REFUSED: wrong user name or password); not retried.',
  STARTUP_ERR_AMQP_VHOST:
    'The vhost does not exist or the user may not use it (530 NOT_ALLOWED at connection.open); not retried.',
  STARTUP_ERR_AMQP_TLS: 'The TLS handshake failed; not retried.',
  STARTUP_ERR_AMQP_FAILED: 'Anything not recognised; retried.',
} as const);

/** Stable codes of this connector's errors. Match on these, not on message text. */
export type AmqpErrorCode = keyof typeof amqpErrorCodes;

/** What an error means for a start: its code, whether to retry, the client's or broker's reason, what to fix. */
export type AmqpErrorClass = ErrorClass<AmqpErrorCode>;

/** Options of {@link classifyAmqpError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
}

// amqplib reports a broker's refusal during the handshake only in its message; matched on its fixed wording.
// "Handshake terminated by server: 403 (ACCESS-REFUSED) with message …"
const handshakeClose = /^Handshake terminated by server: (\d{3}) /;
// The broker closing the connection in answer to connection.open: it refuses the vhost (530 NOT_ALLOWED);
// amqplib drops the reply code and says "Expected ConnectionOpenOk; got <ConnectionClose channel:0>".
const openRefused = /^Expected ConnectionOpenOk; got <ConnectionClose/;
const dropped =
  /Socket closed abruptly|Unexpected close|Connection closed|Heartbeat timeout|Channel ended|Channel closed/i;

/**
 * Classifies an error from amqplib or the network while connecting, opening the verifying channel or checking.
 * Transient (retry): refused, reset, unreachable, DNS `EAI_AGAIN`, timeouts, the broker closing the connection
 * (320 CONNECTION_FORCED: shutting down) or failing (5xx other than 530), a dropped socket.
 * Permanent (fail at once): login refused (403 ACCESS_REFUSED), vhost refused (530 NOT_ALLOWED at open), TLS.
 * `ENOTFOUND` is transient unless `retryUnresolvedHost` is `false`: in Docker and Kubernetes a service's name
 * resolves only once the service runs, so "not found" often means "not yet".
 */
export function classifyAmqpError(error: unknown, options: ClassifyOptions = {}): AmqpErrorClass {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  // After the handshake amqplib puts the broker's reply code (320, 541…) on `code`, as a number.
  const numeric = (error as { code?: unknown } | null)?.code;
  const replyCode =
    handshakeClose.exec(message)?.[1] ?? (typeof numeric === 'number' ? String(numeric) : undefined);
  const reason = code ?? replyCode ?? (error instanceof Error ? error.name : 'Error');
  const transient = (kind: AmqpErrorCode, hint: string, why = reason): AmqpErrorClass => ({
    code: kind,
    retryable: true,
    reason: why,
    hint,
  });
  const permanent = (kind: AmqpErrorCode, hint: string, why = reason): AmqpErrorClass => ({
    code: kind,
    retryable: false,
    reason: why,
    hint,
  });

  if (code === 'ENOTFOUND') {
    const text = 'the host name does not resolve; check "host" (or the service name in your network)';
    return options.retryUnresolvedHost === false
      ? permanent('STARTUP_ERR_AMQP_HOST_NOT_FOUND', text)
      : transient('STARTUP_ERR_AMQP_HOST_NOT_FOUND', `${text}; retrying in case it is not registered yet`);
  }
  if (replyCode === '403') {
    return permanent(
      'STARTUP_ERR_AMQP_AUTH',
      'the login was refused: fix "username" and "password" (or the URL)',
      'ACCESS_REFUSED',
    );
  }
  if (openRefused.test(message) || replyCode === '530') {
    return permanent(
      'STARTUP_ERR_AMQP_VHOST',
      'the vhost does not exist or the user may not use it: fix "vhost" or grant the user access (rabbitmqctl set_permissions)',
      'NOT_ALLOWED',
    );
  }
  if ((code !== undefined && tlsErrorCode.test(code)) || /certificate|SSL routines|TLS/i.test(message)) {
    return permanent(
      'STARTUP_ERR_AMQP_TLS',
      'TLS failed: check "tls" options, certificates and that the port speaks TLS',
    );
  }
  if (code === 'ETIMEDOUT' || /ETIMEDOUT/.test(message)) {
    return transient(
      'STARTUP_ERR_AMQP_UNAVAILABLE',
      'the broker did not answer in time; retrying',
      'ETIMEDOUT',
    );
  }
  if (code !== undefined && transientNetworkCodes.has(code)) {
    return transient('STARTUP_ERR_AMQP_UNAVAILABLE', 'the broker is not reachable; retrying');
  }
  if (replyCode !== undefined) {
    return transient('STARTUP_ERR_AMQP_UNAVAILABLE', 'the broker closed the connection; retrying', replyCode);
  }
  if (dropped.test(message)) {
    return transient('STARTUP_ERR_AMQP_UNAVAILABLE', 'the connection was lost; retrying', 'CLOSED');
  }
  return transient('STARTUP_ERR_AMQP_FAILED', 'unexpected error; retrying');
}

/** Context for {@link amqpStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** `amqp://host:port/vhost`, without credentials. */
  target: string;
  /** Literal secrets (the password) to keep out of the message. Defaults to none. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting or checking into a `StartupError` with an `AmqpErrorCode`, `retryable: false`
 * when retrying cannot help, a message that names the broker and says what to fix, and the original as `cause` (a
 * redacted copy when a secret shows in it). A `StartupError` is returned as it is.
 */
export function amqpStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyAmqpError(error, ctx), { service: 'RabbitMQ', ...ctx });
}
