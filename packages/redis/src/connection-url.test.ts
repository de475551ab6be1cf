import { isStartupError, type StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from './connection-url.js';

function rejectionOf(fn: () => unknown): StartupError {
  try {
    fn();
  } catch (error) {
    if (isStartupError(error)) return error;
    throw error;
  }
  throw new Error('expected a StartupError');
}

describe('parseRedisUrl', () => {
  it('reads host, port, database, username and password', () => {
    expect(parseRedisUrl('redis://app:s%40cret@cache.internal:6380/3')).toEqual({
      host: 'cache.internal',
      port: 6380,
      db: 3,
      username: 'app',
      password: 's@cret',
      tls: false,
    });
  });

  it('leaves absent parts undefined and turns rediss:// into TLS', () => {
    expect(parseRedisUrl('rediss://cache')).toEqual({
      host: 'cache',
      port: undefined,
      db: undefined,
      username: undefined,
      password: undefined,
      tls: true,
    });
  });

  it('reads a password without a username and an IPv6 host', () => {
    expect(parseRedisUrl('redis://:pw@[::1]:6379/0')).toMatchObject({ host: '::1', password: 'pw', db: 0 });
  });

  it.each([
    ['not a URL', 'cache:6379'],
    ['a wrong scheme', 'http://cache:6379'],
    ['a port out of range', 'redis://cache:70000'],
    ['port 0', 'redis://cache:0/0'],
    ['a database that is not a number', 'redis://cache:6379/abc'],
    ['a query string', 'redis://cache:6379/0?family=6'],
    ['an empty string', ''],
  ])('rejects %s naming the url field', (_, url) => {
    const error = rejectionOf(() => parseRedisUrl(url, 'cache'));
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).toContain('"url"');
    expect(error.plugin).toBe('cache');
    expect(error.retryable).toBe(false);
  });

  it('rejects a value that is not a string', () => {
    expect(rejectionOf(() => parseRedisUrl(6379)).code).toBe('STARTUP_ERR_INVALID_OPTION');
  });

  it.each([
    'http://user:hunter2@cache:6379',
    'redis://user:hunter2@cache:6379/abc',
    'redis://:hunter2@cache:6379/0?x=1',
    'redis://:hunter2@cache:99999',
    'redis://user:hunter2%zz@cache',
  ])('never shows the password of %s in the error', (url) => {
    const error = rejectionOf(() => parseRedisUrl(url));
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).not.toContain('hunter2');
  });
});
