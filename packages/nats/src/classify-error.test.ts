import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/nats-core';
import { StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { classifyNatsError, natsStartupError } from './classify-error.js';

function nodeError(code: string, message = `connect ${code} 127.0.0.1:4222`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyNatsError', () => {
  it.each([
    [
      'a refused connection (nats.js wraps ECONNREFUSED)',
      new errors.ConnectionError('connection refused', { cause: nodeError('ECONNREFUSED') }),
      'ECONNREFUSED',
    ],
    ['a reset connection', nodeError('ECONNRESET'), 'ECONNRESET'],
    ['a temporary DNS failure', nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN bus'), 'EAI_AGAIN'],
    ['an unreachable network', nodeError('ENETUNREACH'), 'ENETUNREACH'],
    [
      'a nats.js v2 refusal code',
      Object.assign(new Error('refused'), { code: 'CONNECTION_REFUSED' }),
      'CONNECTION_REFUSED',
    ],
    ['a handshake timeout', new errors.TimeoutError(), 'TimeoutError'],
    ['a connection closed mid-start', new errors.ClosedConnectionError(), 'disconnected'],
    ['a disconnect while verifying', new errors.RequestError('connection disconnected'), 'disconnected'],
    [
      'an authentication timeout',
      new errors.AuthorizationError('Authentication Timeout'),
      'Authentication Timeout',
    ],
  ])('retries %s', (_label, error, reason) => {
    expect(classifyNatsError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_NATS_UNAVAILABLE',
      reason,
    });
  });

  it('stops at once on an authorization violation', () => {
    expect(classifyNatsError(new errors.AuthorizationError('Authorization Violation'))).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_NATS_AUTH',
    });
  });

  it('stops at once on expired credentials', () => {
    expect(
      classifyNatsError(new errors.UserAuthenticationExpiredError('User Authentication Expired')),
    ).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_NATS_AUTH',
    });
    expect(classifyNatsError(new errors.AuthorizationError('Account Authentication Expired')).code).toBe(
      'STARTUP_ERR_NATS_AUTH',
    );
  });

  it('stops at once when JetStream is not enabled, whichever way nats.js says it', () => {
    const noResponders = Object.assign(new Error('jetstream is not enabled'), {
      name: 'JetStreamNotEnabled',
    });
    const forAccount = new JetStreamApiError({
      code: 503,
      err_code: 10039,
      description: 'jetstream not enabled for account',
    });
    const notEnabled = new JetStreamApiError({
      code: 503,
      err_code: 10076,
      description: 'JetStream not enabled',
    });
    for (const error of [noResponders, forAccount, notEnabled]) {
      expect(classifyNatsError(error)).toMatchObject({
        retryable: false,
        code: 'STARTUP_ERR_NATS_JETSTREAM',
      });
    }
  });

  it('stops at once on a permissions violation', () => {
    const error = new errors.PermissionViolationError(
      'Permissions Violation for Publish to "$JS.API.INFO"',
      'publish',
      '$JS.API.INFO',
    );
    expect(classifyNatsError(error)).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_NATS_PERMISSION',
    });
  });

  it('stops at once on TLS failures', () => {
    expect(classifyNatsError(nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')).code).toBe(
      'STARTUP_ERR_NATS_TLS',
    );
    expect(classifyNatsError(new errors.ConnectionError("server does not support 'tls'"))).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_NATS_TLS',
    });
  });

  it('stops at once when nats.js rejects a client option', () => {
    expect(classifyNatsError(new errors.InvalidArgumentError("'inboxPrefix' is not valid"))).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_NATS_CLIENT_OPTION',
    });
  });

  it('retries an unresolvable host unless told not to', () => {
    const error = nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND bus.invalid');
    expect(classifyNatsError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_NATS_HOST_NOT_FOUND',
    });
    expect(classifyNatsError(error, { retryUnresolvedHost: false })).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_NATS_HOST_NOT_FOUND',
    });
  });

  it('retries an error it does not recognise, naming it as such', () => {
    expect(classifyNatsError(new RangeError('odd'))).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_NATS_FAILED',
      reason: 'RangeError',
    });
    expect(classifyNatsError('a string').code).toBe('STARTUP_ERR_NATS_FAILED');
  });
});

describe('natsStartupError', () => {
  const ctx = { plugin: 'nats', target: 'nats://bus:4222', secrets: ['hunter2'] };

  it('says what to fix, names the plugin and the server, and keeps the cause', () => {
    const cause = new errors.AuthorizationError('Authorization Violation');
    const error = natsStartupError(cause, ctx);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_NATS_AUTH', plugin: 'nats', retryable: false, cause });
    expect(error.message).toContain('nats://bus:4222');
    expect(error.message).toContain('"user" and "pass"');
  });

  it('marks transient errors retryable', () => {
    expect(natsStartupError(nodeError('ECONNRESET'), ctx).retryable).toBe(true);
  });

  it('keeps secrets out of the message', () => {
    const error = natsStartupError(new Error('failed with hunter2 in it'), ctx);
    expect(error.message).not.toContain('hunter2');
  });

  it('returns a StartupError as it is', () => {
    const original = new StartupError('STARTUP_ERR_NATS_JETSTREAM', 'x', { retryable: false });
    expect(natsStartupError(original, ctx)).toBe(original);
  });
});
