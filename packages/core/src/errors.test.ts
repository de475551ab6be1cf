import { describe, expect, it } from 'vitest';
import { describeError, invalidOption, isStartupError, StartupError, StartupFailedError } from './errors.js';

describe('StartupError', () => {
  it('carries a code, the plugin, retryable and the cause', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:5432');
    const error = new StartupError('STARTUP_ERR_PLUGIN_FAILED', 'postgres failed', {
      plugin: 'postgres',
      cause,
      retryable: false,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'StartupError',
      code: 'STARTUP_ERR_PLUGIN_FAILED',
      plugin: 'postgres',
      retryable: false,
      cause,
    });
    expect(error.stack).toContain('postgres failed');
  });

  it('leaves plugin, retryable and cause unset when not given', () => {
    const error = new StartupError('STARTUP_ERR_ABORTED', 'aborted');
    expect(error.plugin).toBeUndefined();
    expect(error.retryable).toBeUndefined();
    expect('cause' in error).toBe(false);
  });

  it('serialises to a redacted ErrorInfo', () => {
    const error = new StartupError('STARTUP_ERR_PLUGIN_FAILED', 'cannot reach redis://:s3cret@cache:6379', {
      plugin: 'redis',
      cause: new Error('auth failed for redis://:s3cret@cache:6379'),
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: 'StartupError',
      code: 'STARTUP_ERR_PLUGIN_FAILED',
      message: 'cannot reach redis://:****@cache:6379',
      plugin: 'redis',
      cause: 'auth failed for redis://:****@cache:6379',
    });
  });
});

describe('isStartupError', () => {
  it('recognises its own errors and subclasses', () => {
    expect(isStartupError(new StartupError('X', 'x'))).toBe(true);
    expect(isStartupError(new StartupFailedError('STARTUP_ERR_FAILED', 'x', []))).toBe(true);
  });

  it('recognises an error from another installed copy by its Symbol.for brand', () => {
    // What a second copy of @startup/core would define: a different class, the same global symbol.
    const otherCopyBrand = Symbol.for('@startup/core.error');
    class OtherCopyStartupError extends Error {
      readonly code = 'STARTUP_ERR_PLUGIN_FAILED';
      readonly [otherCopyBrand] = true;
    }
    const foreign = new OtherCopyStartupError('from the other copy');
    expect(foreign).not.toBeInstanceOf(StartupError);
    expect(isStartupError(foreign)).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('x')],
    ['an object with a look-alike code', { code: 'STARTUP_ERR_FAILED', message: 'x' }],
    ['a brand that is not true', { [Symbol.for('@startup/core.error')]: 'true' }],
    ['a brand under a local symbol', { [Symbol('@startup/core.error')]: true }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'STARTUP_ERR_FAILED'],
  ])('rejects %s', (_, value) => {
    expect(isStartupError(value)).toBe(false);
  });
});

describe('describeError', () => {
  it('keeps name and message strings whatever the thrown error carries', () => {
    const odd = Object.assign(new Error('boom'), { name: undefined, message: 42 });
    expect(describeError(odd)).toEqual({ name: 'Error', message: '42' });
  });

  it('describes a client error with its code and redacts passwords in the message', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED postgres://app:s3cret@db:5432/app'), {
      code: 'ECONNREFUSED',
    });
    expect(describeError(error)).toEqual({
      name: 'Error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED postgres://app:****@db:5432/app',
    });
  });

  it('turns a numeric code into a string', () => {
    expect(describeError(Object.assign(new Error('x'), { code: 28 })).code).toBe('28');
  });

  it('describes the cause, an Error or not, redacted', () => {
    const withError = new Error('outer', { cause: new Error('password=s3cret rejected') });
    expect(describeError(withError).cause).toBe('password=**** rejected');
    const withString = new Error('outer', { cause: 'nats://u:s3cret@n:4222 closed' });
    expect(describeError(withString).cause).toBe('nats://u:****@n:4222 closed');
  });

  it('describes a thrown value that is not an Error, redacted', () => {
    expect(describeError('redis://:s3cret@cache failed')).toEqual({
      name: 'Error',
      message: 'redis://:****@cache failed',
    });
    expect(describeError(undefined)).toEqual({ name: 'Error', message: 'undefined' });
  });

  it('never lets a password through anywhere in its output', () => {
    const cause = new Error('handshake with postgres://root:s3cret@127.0.0.1/test failed');
    const error = new StartupError('STARTUP_ERR_PLUGIN_FAILED', 'postgres: password=s3cret', {
      plugin: 'postgres',
      cause,
    });
    expect(JSON.stringify(describeError(error))).not.toContain('s3cret');
  });
});

describe('StartupFailedError', () => {
  const pg = new StartupError('STARTUP_ERR_ATTEMPT_TIMEOUT', 'attempt timed out after 500 ms', {
    plugin: 'postgres',
  });
  const redis = new StartupError('STARTUP_ERR_PLUGIN_FAILED', 'NOAUTH', { plugin: 'redis' });

  it('lists every failure with its plugin and code in the message', () => {
    const error = new StartupFailedError('STARTUP_ERR_FAILED', 'Start-up failed', [pg, redis]);
    expect(error.name).toBe('StartupFailedError');
    expect(error.code).toBe('STARTUP_ERR_FAILED');
    expect(error.failures).toEqual([pg, redis]);
    expect(error.message.split('\n')).toEqual([
      'Start-up failed',
      '  - postgres: [STARTUP_ERR_ATTEMPT_TIMEOUT] attempt timed out after 500 ms',
      '  - redis: [STARTUP_ERR_PLUGIN_FAILED] NOAUTH',
    ]);
  });

  it('uses the first failure as the cause unless one is given', () => {
    expect(new StartupFailedError('STARTUP_ERR_FAILED', 'x', [pg, redis]).cause).toBe(pg);
    const reason = new Error('SIGTERM');
    expect(new StartupFailedError('STARTUP_ERR_ABORTED', 'x', [pg], reason).cause).toBe(reason);
    expect('cause' in new StartupFailedError('STARTUP_ERR_DEADLINE', 'x', [])).toBe(false);
  });

  it('lists a failure of the start as a whole with its code alone, never a "?" for a plugin', () => {
    const error = new StartupFailedError('STARTUP_ERR_FAILED', 'x', [new StartupError('E', 'no plugin')]);
    expect(error.message.split('\n')).toEqual(['x', '  - [E] no plugin']);
  });

  it('lists each failure redacted', () => {
    const leaky = new StartupError('E', 'connect failed: redis://:s3cret@cache:6379', { plugin: 'redis' });
    const error = new StartupFailedError('STARTUP_ERR_FAILED', 'x', [leaky]);
    expect(error.message).toContain('  - redis: [E] connect failed: redis://:****@cache:6379');
  });
});

describe('invalidOption', () => {
  it('names the field, the plugin, what was expected and what was given', () => {
    const error = invalidOption('retry.maxAttempts', 'an integer ≥ 1', 0, 'postgres');
    expect(error).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION', plugin: 'postgres', retryable: false });
    expect(error.message).toBe(
      'Invalid option "retry.maxAttempts" of plugin "postgres": expected an integer ≥ 1, got 0',
    );
  });

  it('shows a string value redacted and cut to 60 characters', () => {
    const url = invalidOption('url', 'a URL', 'postgres://app:s3cret@db/app');
    // A value that failed validation hides everything before its last '@', user name included.
    expect(url.message).toContain('got "postgres://****@db/app"');
    expect(url.plugin).toBeUndefined();
    const long = invalidOption('name', 'a short name', 'x'.repeat(100));
    expect(long.message).toContain(`got "${'x'.repeat(60)}…"`);
  });

  it('shows only the type of an object or function value', () => {
    expect(invalidOption('f', 'a number', { password: 's3cret' }).message).toMatch(/got object$/);
    expect(invalidOption('f', 'a number', () => {}).message).toMatch(/got function$/);
    expect(invalidOption('f', 'a number', Number.NaN).message).toMatch(/got NaN$/);
    expect(invalidOption('f', 'a number', null).message).toMatch(/got null$/);
  });

  it('still describes the field when the plugin name passed along is not a string', () => {
    const error = invalidOption('timeout', 'a known option', 0, Symbol('hostile') as unknown as string);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION', plugin: undefined });
    expect(error.message).toBe('Invalid option "timeout": expected a known option, got 0');
  });
});
