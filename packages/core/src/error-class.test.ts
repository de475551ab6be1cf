import { describe, expect, it } from 'vitest';
import { connectorError, errorCode } from './error-class.js';
import { isStartupError, StartupError } from './errors.js';

const ctx = { service: 'Cache', plugin: 'cache', target: 'cache.internal:7000', secrets: ['hunter2'] };

describe('connectorError', () => {
  it('carries the class and names service, server, plugin, what to fix and what the client said', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:7000'), { code: 'ECONNREFUSED' });
    const found = {
      code: 'STARTUP_ERR_CACHE_UNAVAILABLE',
      retryable: true,
      reason: 'ECONNREFUSED',
      hint: 'not reachable; retrying',
    };
    const wrapped = connectorError(error, found, ctx);
    expect(isStartupError(wrapped)).toBe(true);
    expect(wrapped).toMatchObject({ code: found.code, retryable: true, plugin: 'cache', cause: error });
    expect(wrapped.message).toBe(
      'Cache cache.internal:7000 (plugin "cache"): not reachable; retrying (ECONNREFUSED: connect ECONNREFUSED 10.0.0.1:7000)',
    );
  });

  it('does not repeat a reason the message starts with', () => {
    const found = {
      code: 'STARTUP_ERR_CACHE_AUTH',
      retryable: false,
      reason: 'WRONGPASS',
      hint: 'fix "password"',
    };
    const wrapped = connectorError(new Error('WRONGPASS invalid password'), found, ctx);
    expect(wrapped.message).toMatch(/fix "password" \(WRONGPASS invalid password\)$/);
    expect(wrapped.retryable).toBe(false);
  });

  it('keeps secrets out of the message and the cause', () => {
    const error = Object.assign(new Error('auth hunter2 failed for cache://u:pw@h'), { args: ['hunter2'] });
    const found = { code: 'STARTUP_ERR_CACHE_AUTH', retryable: false, reason: 'AUTH', hint: 'fix it' };
    const wrapped = connectorError(error, found, ctx);
    expect(wrapped.message).not.toMatch(/hunter2|:pw@/);
    expect(wrapped.cause).not.toBe(error);
    expect(JSON.stringify((wrapped.cause as { args?: unknown }).args ?? null)).not.toContain('hunter2');
    expect(String((wrapped.cause as Error).message)).not.toContain('hunter2');
  });

  it('returns a StartupError as it is', () => {
    const timeout = new StartupError('STARTUP_ERR_ATTEMPT_TIMEOUT', 'late');
    expect(connectorError(timeout, { code: 'X', retryable: true, reason: 'r', hint: 'h' }, ctx)).toBe(
      timeout,
    );
  });
});

describe('errorCode', () => {
  it('finds the first string code of an error or its causes', () => {
    const inner = Object.assign(new Error('x'), { code: 'ETIMEDOUT' });
    expect(errorCode(new Error('outer', { cause: inner }))).toBe('ETIMEDOUT');
    expect(errorCode(Object.assign(new Error('x'), { code: 42 }))).toBeUndefined();
    expect(errorCode('ECONNREFUSED')).toBeUndefined();
  });
});
