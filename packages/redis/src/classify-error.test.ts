import { describe, expect, it } from 'vitest';
import { classifyRedisError, redisStartupError } from './classify-error.js';

/** An error as Node's net module or ioredis makes it. */
function systemError(code: string, message = `connect ${code} 127.0.0.1:6379`): Error {
  return Object.assign(new Error(message), { code });
}

/** A server error reply, as ioredis' ReplyError carries it (no code, the prefix is the first word). */
function reply(message: string): Error {
  return Object.assign(new Error(message), { name: 'ReplyError' });
}

describe('classifyRedisError', () => {
  it.each([
    ['ECONNREFUSED', systemError('ECONNREFUSED')],
    ['ECONNRESET', systemError('ECONNRESET', 'read ECONNRESET')],
    ['ETIMEDOUT', systemError('ETIMEDOUT', 'connect ETIMEDOUT')],
    ['EHOSTUNREACH', systemError('EHOSTUNREACH')],
    ['EPIPE', systemError('EPIPE', 'write EPIPE')],
    ['EAI_AGAIN', systemError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN cache')],
    ['LOADING', reply('LOADING Redis is loading the dataset in memory')],
    ['BUSY', reply('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.')],
    ['MASTERDOWN', reply('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no.')],
    ['TRYAGAIN', reply('TRYAGAIN Multiple keys request during rehashing of slot')],
    ['CLOSED', new Error('Connection is closed.')],
    ['CLOSED', new Error('Command timed out')],
  ])('retries %s as transient', (reason, error) => {
    expect(classifyRedisError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_REDIS_UNAVAILABLE',
      reason,
    });
  });

  it.each([
    [
      'STARTUP_ERR_REDIS_AUTH',
      'WRONGPASS',
      reply('WRONGPASS invalid username-password pair or user is disabled.'),
    ],
    ['STARTUP_ERR_REDIS_AUTH', 'WRONGPASS', reply('ERR invalid password')],
    ['STARTUP_ERR_REDIS_AUTH', 'NOAUTH', reply('NOAUTH Authentication required.')],
    [
      'STARTUP_ERR_REDIS_PERMISSION',
      'NOPERM',
      reply("NOPERM User app has no permissions to run the 'info' command"),
    ],
    ['STARTUP_ERR_REDIS_DB_INDEX', 'ERR', reply('ERR DB index is out of range')],
    [
      'STARTUP_ERR_REDIS_TLS',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      systemError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
    ],
    [
      'STARTUP_ERR_REDIS_TLS',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      systemError('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match'),
    ],
    ['STARTUP_ERR_REDIS_PROTOCOL', 'PROTOCOL', new Error('Protocol error, got "H" as reply type byte')],
  ])('fails at once with %s on %s', (code, reason, error) => {
    expect(classifyRedisError(error)).toMatchObject({ retryable: false, code, reason });
  });

  it('retries an unresolvable host by default and fails at once when told to', () => {
    const error = systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND cache');
    expect(classifyRedisError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_REDIS_HOST_NOT_FOUND',
    });
    expect(classifyRedisError(error, { retryUnresolvedHost: false })).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_REDIS_HOST_NOT_FOUND',
    });
  });

  it('retries an unrecognised error under its own code, as core does by default', () => {
    expect(classifyRedisError(reply('ERR something new'))).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_REDIS_FAILED',
      reason: 'ERR',
    });
    expect(classifyRedisError('a string')).toMatchObject({ retryable: true, reason: 'UNKNOWN' });
  });
});

describe('redisStartupError', () => {
  const ctx = { plugin: 'cache', target: 'cache:6379/0', secrets: ['hunter2'] };

  it('makes a permanent error not retryable, with a stable code, the target and what to fix', () => {
    const cause = reply('WRONGPASS invalid username-password pair or user is disabled.');
    const error = redisStartupError(cause, ctx);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_AUTH', plugin: 'cache', retryable: false, cause });
    expect(error.message).toContain('cache:6379/0');
    expect(error.message).toContain('"password"');
  });

  it('makes a transient error retryable', () => {
    const error = redisStartupError(systemError('ECONNREFUSED'), ctx);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_UNAVAILABLE', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('keeps the password out of the message, literal or in a URL', () => {
    const error = redisStartupError(new Error('failed for redis://:hunter2@cache:6379 with hunter2'), ctx);
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
  });
});
