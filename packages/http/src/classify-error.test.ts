import { StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import {
  classifyHttpServiceError,
  HttpStatusError,
  httpServiceStartupError,
  retryAfterMs,
} from './classify-error.js';

/** What the global fetch throws on a network failure: a TypeError whose cause carries the code. */
const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect failed'), { code }) });

describe('classifyHttpServiceError', () => {
  it.each([
    ['ECONNREFUSED', 'STARTUP_ERR_HTTP_UNAVAILABLE'],
    ['ECONNRESET', 'STARTUP_ERR_HTTP_UNAVAILABLE'],
    ['UND_ERR_SOCKET', 'STARTUP_ERR_HTTP_UNAVAILABLE'],
    ['EAI_AGAIN', 'STARTUP_ERR_HTTP_UNAVAILABLE'],
    ['UND_ERR_CONNECT_TIMEOUT', 'STARTUP_ERR_HTTP_TIMEOUT'],
    ['UND_ERR_HEADERS_TIMEOUT', 'STARTUP_ERR_HTTP_TIMEOUT'],
    ['ETIMEDOUT', 'STARTUP_ERR_HTTP_TIMEOUT'],
    ['ENOTFOUND', 'STARTUP_ERR_HTTP_HOST_NOT_FOUND'],
  ])('retries a fetch failing with %s', (code, kind) => {
    expect(classifyHttpServiceError(fetchFailed(code))).toMatchObject({
      code: kind,
      retryable: true,
      reason: code,
    });
  });

  it('retries a TimeoutError (responseTimeoutMs)', () => {
    const error = new DOMException('no response', 'TimeoutError');
    expect(classifyHttpServiceError(error)).toMatchObject({
      code: 'STARTUP_ERR_HTTP_TIMEOUT',
      retryable: true,
    });
  });

  it('fails at once on TLS', () => {
    expect(classifyHttpServiceError(fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT'))).toMatchObject({
      code: 'STARTUP_ERR_HTTP_TLS',
      retryable: false,
    });
  });

  it.each([
    [401, 'STARTUP_ERR_HTTP_AUTH', false],
    [403, 'STARTUP_ERR_HTTP_AUTH', false],
    [404, 'STARTUP_ERR_HTTP_REJECTED', false],
    [418, 'STARTUP_ERR_HTTP_REJECTED', false],
    [408, 'STARTUP_ERR_HTTP_UNAVAILABLE', true],
    [429, 'STARTUP_ERR_HTTP_UNAVAILABLE', true],
    [502, 'STARTUP_ERR_HTTP_UNAVAILABLE', true],
    [503, 'STARTUP_ERR_HTTP_UNAVAILABLE', true],
    [302, 'STARTUP_ERR_HTTP_UNHEALTHY', true],
  ])('classifies status %i as %s', (status, kind, retryable) => {
    expect(classifyHttpServiceError(new HttpStatusError(status, undefined))).toMatchObject({
      code: kind,
      retryable,
      reason: `HTTP_${status}`,
    });
  });

  it('retries a body expectBody did not accept', () => {
    expect(classifyHttpServiceError(new HttpStatusError(200, undefined, true))).toMatchObject({
      code: 'STARTUP_ERR_HTTP_UNHEALTHY',
      retryable: true,
    });
  });

  it('fails at once on an unresolvable host with retryUnresolvedHost: false', () => {
    expect(classifyHttpServiceError(fetchFailed('ENOTFOUND'), { retryUnresolvedHost: false }).retryable).toBe(
      false,
    );
  });

  it('retries an error it does not know', () => {
    expect(classifyHttpServiceError(new Error('odd'))).toMatchObject({
      code: 'STARTUP_ERR_HTTP_FAILED',
      retryable: true,
    });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and dates, capped at a day', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5_000);
    expect(retryAfterMs('999999999', now)).toBe(86_400_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('9'.repeat(10_000), now)).toBeUndefined();
  });
});

describe('httpServiceStartupError', () => {
  const context = { plugin: 'billing', target: 'https://api.example.com/', secrets: ['tok-123'] };

  it('names the plugin and the upstream and keeps the cause', () => {
    const cause = fetchFailed('ECONNREFUSED');
    const error = httpServiceStartupError(cause, context);
    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_HTTP_UNAVAILABLE', plugin: 'billing', retryable: true });
    expect(error.message).toContain('https://api.example.com/');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('redacts a secret a cause message carries', () => {
    const error = httpServiceStartupError(new Error('sent Bearer tok-123'), context);
    expect(JSON.stringify({ m: error.message, c: String(error.cause) })).not.toContain('tok-123');
  });
});
