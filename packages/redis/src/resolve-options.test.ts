import { isStartupError, type StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import type { RedisPluginOptions } from './options.js';
import { resolveRedisOptions } from './resolve-options.js';
import { redisDefaults } from './schema.js';

function rejectionOf(options: unknown): StartupError {
  try {
    resolveRedisOptions(options as RedisPluginOptions<string>);
  } catch (error) {
    if (isStartupError(error)) return error;
    throw error;
  }
  throw new Error('expected a StartupError');
}

describe('resolveRedisOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveRedisOptions();
    expect(resolved).toMatchObject({
      name: 'redis',
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      username: undefined,
      password: undefined,
      tls: undefined,
      connectionName: 'startup',
      connectTimeoutMs: 3_000,
      commandTimeoutMs: 5_000,
      keepAliveMs: 300_000,
      maxRetriesPerRequest: 20,
      enableOfflineQueue: true,
      retryUnresolvedHost: true,
      target: '127.0.0.1:6379/0',
      secrets: [],
    });
    expect(resolved.reconnect).toMatchObject({ initialDelayMs: 50, multiplier: 2, maxDelayMs: 2_000 });
    expect(resolved.connectTimeoutMs).toBe(redisDefaults.connectTimeoutMs);
  });

  it('takes the connection from the URL and lets explicit fields override it', () => {
    const resolved = resolveRedisOptions({ url: 'rediss://app:old@cache:6380/2', password: 'new', db: 5 });
    expect(resolved).toMatchObject({
      host: 'cache',
      port: 6380,
      db: 5,
      username: 'app',
      password: 'new',
      tls: {},
      target: 'cache:6380/5',
      secrets: ['new'],
    });
  });

  it('turns Infinity into "no limit" for the command timeout and per-request retries', () => {
    const resolved = resolveRedisOptions({ commandTimeoutMs: Infinity, maxRetriesPerRequest: Infinity });
    expect(resolved.commandTimeoutMs).toBeUndefined();
    expect(resolved.maxRetriesPerRequest).toBeNull();
  });

  it('accepts reconnect: false and a custom plugin name', () => {
    expect(resolveRedisOptions({ name: 'cache', reconnect: false })).toMatchObject({
      name: 'cache',
      reconnect: false,
    });
  });

  it.each([
    ['connectTimeoutMs', { connectTimeoutMs: -1 }],
    ['connectTimeoutMs', { connectTimeoutMs: Number.NaN }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['commandTimeoutMs', { commandTimeoutMs: -5 }],
    ['commandTimeoutMs', { commandTimeoutMs: Number.NaN }],
    ['keepAliveMs', { keepAliveMs: -1 }],
    ['keepAliveMs', { keepAliveMs: '300' }],
    ['port', { port: 0 }],
    ['port', { port: 70_000 }],
    ['port', { port: 6379.5 }],
    ['db', { db: -1 }],
    ['db', { db: 1.5 }],
    ['host', { host: '' }],
    ['host', { host: 'cache host' }],
    ['connectionName', { connectionName: 'has space' }],
    ['connectionName', { connectionName: '' }],
    ['maxRetriesPerRequest', { maxRetriesPerRequest: -1 }],
    ['enableOfflineQueue', { enableOfflineQueue: 'yes' }],
    ['retryUnresolvedHost', { retryUnresolvedHost: 1 }],
    ['tls', { tls: 'on' }],
    ['reconnect', { reconnect: true }],
    ['reconnect.initialDelayMs', { reconnect: { initialDelayMs: -10 } }],
    ['reconnect.maxDelayMs', { reconnect: { initialDelayMs: 100, maxDelayMs: 10 } }],
    ['ioredis.retryStrategy', { ioredis: { retryStrategy: () => 1 } }],
    ['ioredis.password', { ioredis: { password: 'x' } }],
    ['ioredis', { ioredis: 'x' }],
    ['username', { username: '' }],
    ['password', { password: 42 }],
    ['url', { url: 'http://cache' }],
    ['name', { name: '' }],
  ])('rejects a bad %s before connecting, naming the field', (field, options) => {
    const error = rejectionOf(options);
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).toContain(`"${field}"`);
    expect(error.retryable).toBe(false);
  });

  it('rejects an option it does not know, naming it and the plugin, without its value', () => {
    expect(rejectionOf({ urll: 'redis://cache:6379' }).message).toContain('"urll" of plugin "redis"');
    expect(rejectionOf({ name: 'cache', conectTimeoutMs: 100 }).message).toContain(
      '"conectTimeoutMs" of plugin "cache"',
    );
    expect(rejectionOf({ pasword: 'hunter2' }).message).not.toContain('hunter2');
    expect(rejectionOf({ pasword: 'hunter2' }).code).toBe('STARTUP_ERR_INVALID_OPTION');
  });

  it('rejects a limit on reconnection, which never gives up', () => {
    const error = rejectionOf({ reconnect: { maxAttempts: 3 } });
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).toContain('"reconnect.maxAttempts" of plugin "redis"');
    expect(rejectionOf({ reconnect: { maxElapsedMs: 1_000 } }).message).toContain('"reconnect.maxElapsedMs"');
  });

  it('names the plugin in the error', () => {
    const error = rejectionOf({ name: 'cache', port: -1 });
    expect(error.plugin).toBe('cache');
    expect(error.message).toContain('plugin "cache"');
  });

  it('rejects something that is not an options object', () => {
    expect(rejectionOf('redis://cache').code).toBe('STARTUP_ERR_INVALID_OPTION');
  });

  it('never shows a password, given in the URL or on its own, in a validation error', () => {
    const cases: unknown[] = [
      { url: 'redis://:hunter2@cache:6379', connectTimeoutMs: -1 },
      { url: 'ftp://:hunter2@cache:6379' },
      { password: 'hunter2', port: 'x' },
      { password: 'hunter2', username: '' },
      { url: 'redis://user:hunter2@cache/abc' },
    ];
    for (const options of cases) {
      const error = rejectionOf(options);
      expect(error.message).not.toContain('hunter2');
      expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
    }
  });
});
