import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `nats()` throws from `init` and reports at runtime, each with what it means. */
export const natsErrorCodes = Object.freeze({
  STARTUP_ERR_NATS_UNAVAILABLE: 'Not reachable, timed out, dropped while starting; retried.',
  STARTUP_ERR_NATS_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_NATS_AUTH: 'Credentials rejected or expired; not retried.',
  STARTUP_ERR_NATS_PERMISSION:
    'The user may not publish or subscribe to a subject the start needs; not retried.',
  STARTUP_ERR_NATS_JETSTREAM: 'JetStream is not enabled on the server or for the account; not retried.',
  STARTUP_ERR_NATS_TLS: 'The TLS set-up failed; not retried.',
  STARTUP_ERR_NATS_CLIENT_OPTION: 'nats.js rejected an option; not retried.',
  STARTUP_ERR_NATS_DISCONNECTED:
    'After start: the connection dropped; the client reconnects (reported to core).',
  STARTUP_ERR_NATS_CLOSED: 'After start: the client gave up reconnecting and closed (reported to core).',
  STARTUP_ERR_NATS_FAILED: 'Anything not recognised; retried.',
} as const);

/** Stable codes of the errors `nats()` throws from `init` and reports at runtime. Match on these, not on text. */
export type NatsErrorCode = keyof typeof natsErrorCodes;

/** What an error means for a start: its code, whether to retry, the client's or server's reason, what to fix. */
export type NatsErrorClass = ErrorClass<NatsErrorCode>;

/** Options of {@link classifyNatsError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
}

// Node's codes, plus nats.js v2's (`NatsError.code`), still met when errors cross a v2 client.
const networkCodes = new Set([
  ...transientNetworkCodes,
  'CONNECTION_REFUSED',
  'CONNECTION_TIMEOUT',
  'CONNECTION_CLOSED',
]);
/** JetStream API `err_code`s: not enabled for the account (10039), not enabled (10076). */
const jetStreamDisabledCodes = new Set([10039, 10076]);

/** Classifies an error met while starting (connecting, verifying, opening JetStream). */
export function classifyNatsError(error: unknown, options: ClassifyOptions = {}): NatsErrorClass {
  const chain = causes(error);
  const text = chain.map((e) => e.message).join(' | ');
  const names = new Set(chain.map((e) => e.name));
  const codes = chain.map((e) => e.code).filter((c) => c !== undefined);
  const stringCodes = codes.filter((c): c is string => typeof c === 'string');

  if (/authorization violation/i.test(text)) {
    return permanent(
      'STARTUP_ERR_NATS_AUTH',
      'Authorization Violation',
      'the server rejected the credentials: check "user" and "pass", "token", or the credentials in the URL',
    );
  }
  if (names.has('UserAuthenticationExpiredError') || /(user|account) authentication expired/i.test(text)) {
    return permanent(
      'STARTUP_ERR_NATS_AUTH',
      'authentication expired',
      'the credentials have expired: renew them (user JWT or account)',
    );
  }
  if (/authentication timeout/i.test(text)) {
    return transient(
      'Authentication Timeout',
      'the server timed out waiting for the handshake (slow link or busy process); retrying',
    );
  }
  if (names.has('PermissionViolationError') || /permissions violation/i.test(text)) {
    return permanent(
      'STARTUP_ERR_NATS_PERMISSION',
      'Permissions Violation',
      'the user may not publish or subscribe to a subject the start needs ($JS.API.> for JetStream, _INBOX.> for replies): grant it, or set "client.inboxPrefix"',
    );
  }
  if (
    names.has('JetStreamNotEnabled') ||
    /jetstream (is )?not enabled/i.test(text) ||
    codes.some((c) => typeof c === 'number' && jetStreamDisabledCodes.has(c))
  ) {
    return permanent(
      'STARTUP_ERR_NATS_JETSTREAM',
      'JetStream not enabled',
      'JetStream is not enabled on the server or for this account: start nats-server with -js (or `jetstream {}` in its config and enabled for the account), or drop the "jetstream" option',
    );
  }
  if (stringCodes.includes('ENOTFOUND')) {
    const hint = 'the host name does not resolve: check "servers"';
    const retryable = options.retryUnresolvedHost !== false;
    return { code: 'STARTUP_ERR_NATS_HOST_NOT_FOUND', retryable, reason: 'ENOTFOUND', hint };
  }
  const tlsCode = stringCodes.find((c) => tlsErrorCode.test(c));
  if (tlsCode !== undefined || /does not support 'tls'|'tls' is not available/i.test(text)) {
    return permanent(
      'STARTUP_ERR_NATS_TLS',
      tlsCode ?? 'TLS',
      'the TLS set-up failed: check "tls" options, certificates, and tls:// against the server\'s TLS configuration',
    );
  }
  if (names.has('InvalidArgumentError') || names.has('InvalidSubjectError')) {
    return permanent(
      'STARTUP_ERR_NATS_CLIENT_OPTION',
      'InvalidArgument',
      'nats.js rejected an option: fix "client" (or the option named)',
    );
  }
  const network = stringCodes.find((c) => networkCodes.has(c));
  if (network !== undefined) return transient(network, `not reachable (${network}); retrying`);
  if (/connection refused/i.test(text))
    return transient('ECONNREFUSED', 'not reachable (connection refused); retrying');
  if (names.has('TimeoutError') || /^timeout$/i.test(chain[0]?.message ?? '')) {
    return transient(
      'TimeoutError',
      'did not answer within the timeout (down, overloaded or blackholed); retrying',
    );
  }
  if (names.has('ClosedConnectionError') || /connection (disconnected|closed)|stale connection/i.test(text)) {
    return transient('disconnected', 'the connection dropped while starting; retrying');
  }
  // Anything else is retried (core's default) but named as unrecognised.
  return {
    code: 'STARTUP_ERR_NATS_FAILED',
    retryable: true,
    reason: chain[0]?.name ?? 'Error',
    hint: 'failed; retrying',
  };
}

/** Context for {@link natsStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** The servers, without credentials. */
  target: string;
  /** Literal secrets (password, token) to keep out of the message. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting into a `StartupError` with a `NatsErrorCode`, `retryable: false` when retrying
 * cannot help, a message that names the server and says what to fix, and the original as `cause` (a redacted copy
 * when a secret shows anywhere in it). A `StartupError` is returned as it is.
 */
export function natsStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyNatsError(error, ctx), { service: 'NATS', ...ctx });
}

interface ErrorFacts {
  name: string;
  message: string;
  code: string | number | undefined;
}

/** The error and its causes (at most 5 deep), as plain facts. */
function causes(error: unknown): ErrorFacts[] {
  const out: ErrorFacts[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && out.length < 5) {
    if (typeof current !== 'object') {
      out.push({ name: 'Error', message: String(current), code: undefined });
      break;
    }
    const e = current as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const code = typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined;
    out.push({ name: String(e.name ?? 'Error'), message: String(e.message ?? ''), code });
    current = e.cause;
  }
  return out;
}

function permanent(code: NatsErrorCode, reason: string, hint: string): NatsErrorClass {
  return { code, retryable: false, reason, hint };
}

function transient(reason: string, hint: string): NatsErrorClass {
  return { code: 'STARTUP_ERR_NATS_UNAVAILABLE', retryable: true, reason, hint };
}
