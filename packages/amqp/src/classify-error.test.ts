import { describe, expect, it } from 'vitest';
import { amqpStartupError, classifyAmqpError } from './classify-error.js';

/** An error as Node's net module makes it. */
function systemError(code: string, message = `connect ${code} 127.0.0.1:5672`): Error {
  return Object.assign(new Error(message), { code });
}

/** What amqplib 2 rejects with when the broker refuses the login (its fixed wording). */
const accessRefused = new Error(
  'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile."',
);
/** What amqplib 2 rejects with when the broker refuses the vhost at connection.open. */
const vhostRefused = new Error('Expected ConnectionOpenOk; got <ConnectionClose channel:0>');

describe('classifyAmqpError', () => {
  it.each([
    ['ECONNREFUSED', systemError('ECONNREFUSED')],
    ['ECONNRESET', systemError('ECONNRESET', 'read ECONNRESET')],
    ['EHOSTUNREACH', systemError('EHOSTUNREACH')],
    ['EPIPE', systemError('EPIPE', 'write EPIPE')],
    ['EAI_AGAIN', systemError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN broker')],
    ['ETIMEDOUT', new Error('connect ETIMEDOUT')],
    ['ETIMEDOUT', systemError('ETIMEDOUT', 'no connection.open-ok within 3000 ms')],
    ['CLOSED', new Error('Socket closed abruptly during opening handshake')],
    ['CLOSED', new Error('Heartbeat timeout')],
    [
      '320',
      new Error(
        'Handshake terminated by server: 320 (CONNECTION-FORCED) with message "broker shutting down"',
      ),
    ],
    ['320', Object.assign(new Error('Connection closed: 320 (CONNECTION-FORCED)'), { code: 320 })],
    ['541', Object.assign(new Error('Connection closed: 541 (INTERNAL-ERROR)'), { code: 541 })],
  ])('retries %s as transient', (reason, error) => {
    expect(classifyAmqpError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_AMQP_UNAVAILABLE',
      reason,
    });
  });

  it('fails a refused login at once, naming the options to fix', () => {
    expect(classifyAmqpError(accessRefused)).toEqual({
      code: 'STARTUP_ERR_AMQP_AUTH',
      retryable: false,
      reason: 'ACCESS_REFUSED',
      hint: expect.stringContaining('"password"'),
    });
  });

  it('fails a refused vhost at once, by message or by reply code 530', () => {
    for (const error of [
      vhostRefused,
      Object.assign(new Error('Connection closed: 530 (NOT-ALLOWED)'), { code: 530 }),
    ]) {
      expect(classifyAmqpError(error)).toMatchObject({
        code: 'STARTUP_ERR_AMQP_VHOST',
        retryable: false,
        reason: 'NOT_ALLOWED',
        hint: expect.stringContaining('"vhost"'),
      });
    }
  });

  it('fails TLS errors at once', () => {
    expect(
      classifyAmqpError(systemError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')),
    ).toMatchObject({
      code: 'STARTUP_ERR_AMQP_TLS',
      retryable: false,
    });
    expect(
      classifyAmqpError(systemError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')),
    ).toMatchObject({
      code: 'STARTUP_ERR_AMQP_TLS',
      retryable: false,
    });
  });

  it('retries an unresolved host unless retryUnresolvedHost is false', () => {
    const error = systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND broker');
    expect(classifyAmqpError(error)).toMatchObject({
      code: 'STARTUP_ERR_AMQP_HOST_NOT_FOUND',
      retryable: true,
    });
    expect(classifyAmqpError(error, { retryUnresolvedHost: false })).toMatchObject({
      code: 'STARTUP_ERR_AMQP_HOST_NOT_FOUND',
      retryable: false,
    });
  });

  it('retries anything unrecognised, named as such', () => {
    expect(classifyAmqpError(new Error('something odd'))).toMatchObject({
      code: 'STARTUP_ERR_AMQP_FAILED',
      retryable: true,
      reason: 'Error',
    });
    expect(classifyAmqpError('a string')).toMatchObject({ code: 'STARTUP_ERR_AMQP_FAILED' });
  });
});

describe('amqpStartupError', () => {
  it('names the broker and the plugin, says what to fix, and keeps the secret out of message and cause', () => {
    const secret = 's3cret-pw';
    const error = amqpStartupError(new Error(`${accessRefused.message} for amqp://app:${secret}@broker`), {
      plugin: 'events',
      target: 'amqp://broker:5672/%2F',
      secrets: [secret],
    });
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_AUTH', retryable: false, plugin: 'events' });
    expect(error.message).toContain('RabbitMQ amqp://broker:5672/%2F (plugin "events")');
    expect(error.message).not.toContain(secret);
    expect(String((error.cause as Error).message)).not.toContain(secret);
  });
});
