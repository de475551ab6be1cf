import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `redis()` throws from `init` and reports at runtime, each with what it means. */
export const redisErrorCodes = Object.freeze({
  STARTUP_ERR_REDIS_UNAVAILABLE:
    'Not reachable, not ready (LOADING, BUSY…), connection closed, command timed out; retried.',
  STARTUP_ERR_REDIS_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_REDIS_AUTH: 'Wrong username or password, or a password is required; not retried.',
  STARTUP_ERR_REDIS_PERMISSION: 'The ACL user may not run a start-up command (NOPERM); not retried.',
  STARTUP_ERR_REDIS_DB_INDEX: 'The database index is out of range; not retried.',
  STARTUP_ERR_REDIS_TLS: 'The TLS handshake failed; not retried.',
  STARTUP_ERR_REDIS_PROTOCOL: 'The port does not speak the Redis protocol; not retried.',
  STARTUP_ERR_REDIS_FAILED: 'Anything not recognised; retried.',
} as const);

/** Stable codes of the errors `redis()` throws from `init`. Match on these, not on message text. */
export type RedisErrorCode = keyof typeof redisErrorCodes;

/** What an error means for a start: its code, whether to retry, the client's or server's reason, what to fix. */
export type RedisErrorClass = ErrorClass<RedisErrorCode>;

/** Options of {@link classifyRedisError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
}

/** Server replies that mean "not now": loading the dataset, busy script, replica without master, cluster resharding. */
const busyReplies = new Set(['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN']);

/** Classifies an error met while starting (connecting, handshaking, the verifying PING). */
export function classifyRedisError(error: unknown, options: ClassifyOptions = {}): RedisErrorClass {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  const prefix = /^([A-Z][A-Z_]+)\b/.exec(message)?.[1] ?? '';

  if (prefix === 'WRONGPASS' || /^ERR invalid (username-)?password/i.test(message)) {
    return permanent(
      'STARTUP_ERR_REDIS_AUTH',
      'WRONGPASS',
      'wrong username or password: fix "password" (and "username") or the URL',
    );
  }
  if (prefix === 'NOAUTH') {
    return permanent(
      'STARTUP_ERR_REDIS_AUTH',
      'NOAUTH',
      'the server requires a password: set "password" or put it in the URL',
    );
  }
  if (prefix === 'NOPERM') {
    return permanent(
      'STARTUP_ERR_REDIS_PERMISSION',
      'NOPERM',
      'the ACL user may not run a start-up command (PING, SELECT): grant it or use another "username"',
    );
  }
  if (/DB index is out of range/i.test(message)) {
    return permanent(
      'STARTUP_ERR_REDIS_DB_INDEX',
      'ERR',
      'the database index is out of range: set "db" (or the URL path) below the server\'s `databases` setting (16 by default)',
    );
  }
  if (code === 'ENOTFOUND') {
    const retried = options.retryUnresolvedHost !== false;
    const hint = retried
      ? 'the host name does not resolve (yet?): check "host" or the URL; retrying, as a service name may resolve only once the service exists'
      : 'the host name does not resolve: check "host" or the URL';
    return { code: 'STARTUP_ERR_REDIS_HOST_NOT_FOUND', retryable: retried, reason: code, hint };
  }
  if (code !== undefined && tlsErrorCode.test(code)) {
    return permanent(
      'STARTUP_ERR_REDIS_TLS',
      code,
      'the TLS handshake failed: check "tls" options, certificates and that the port speaks TLS',
    );
  }
  if (/^Protocol error/i.test(message)) {
    return permanent(
      'STARTUP_ERR_REDIS_PROTOCOL',
      'PROTOCOL',
      'the server does not speak the Redis protocol: check "host" and "port"',
    );
  }
  if (code === 'ETIMEDOUT') return transient(code, 'did not answer in time; retrying');
  if (code !== undefined && transientNetworkCodes.has(code))
    return transient(code, 'not reachable; retrying');
  if (busyReplies.has(prefix)) return transient(prefix, 'not ready yet; retrying');
  if (/^Connection is closed/i.test(message) || /^Command timed out/i.test(message)) {
    return transient('CLOSED', 'connection closed or command timed out; retrying');
  }
  // Anything else is retried (core's default) but named as unrecognised.
  return {
    code: 'STARTUP_ERR_REDIS_FAILED',
    retryable: true,
    reason: code ?? (prefix || 'UNKNOWN'),
    hint: 'failed; retrying',
  };
}

/** Context for {@link redisStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** `host:port/db`, without credentials. */
  target: string;
  /** Literal secrets (the password) to keep out of the message. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting into a `StartupError` with a `RedisErrorCode`, `retryable: false` when retrying
 * cannot help, a message that names the server and says what to fix, and the original as `cause` (a redacted copy
 * when a secret shows anywhere in it: ioredis' reply to AUTH lists the password). A `StartupError` is returned as it is.
 */
export function redisStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyRedisError(error, ctx), { service: 'Redis', ...ctx });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function permanent(code: RedisErrorCode, reason: string, hint: string): RedisErrorClass {
  return { code, retryable: false, reason, hint };
}

function transient(reason: string, hint: string): RedisErrorClass {
  return { code: 'STARTUP_ERR_REDIS_UNAVAILABLE', retryable: true, reason, hint };
}
