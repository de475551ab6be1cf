import { StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { classifyMysqlError, mysqlStartupError } from './classify-error.js';

/** An error shaped like mysql2's: a message, a `code`, and for a server error packet `errno` and `sqlState`. */
const mysqlError = (code: string | undefined, server?: { errno: number; sqlState: string }) =>
  Object.assign(new Error('boom'), { code, ...server });

describe('classifyMysqlError', () => {
  it.each([
    ['ECONNREFUSED', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['ECONNRESET', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['EHOSTUNREACH', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['EAI_AGAIN', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['PROTOCOL_CONNECTION_LOST', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['ER_CON_COUNT_ERROR', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['ER_SERVER_SHUTDOWN', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['ER_CONNECTION_KILLED', 'STARTUP_ERR_MYSQL_UNAVAILABLE'],
    ['ETIMEDOUT', 'STARTUP_ERR_MYSQL_TIMEOUT'],
    ['ER_STATEMENT_TIMEOUT', 'STARTUP_ERR_MYSQL_TIMEOUT'],
    ['ENOTFOUND', 'STARTUP_ERR_MYSQL_HOST_NOT_FOUND'],
  ])('retries %s', (code, kind) => {
    expect(classifyMysqlError(mysqlError(code))).toMatchObject({ code: kind, retryable: true });
  });

  it.each([
    ['ER_ACCESS_DENIED_ERROR', 1045, 'STARTUP_ERR_MYSQL_AUTH', 'password'],
    ['ER_ACCESS_DENIED_NO_PASSWORD_ERROR', 1698, 'STARTUP_ERR_MYSQL_AUTH', 'password'],
    ['ER_HOST_NOT_PRIVILEGED', 1130, 'STARTUP_ERR_MYSQL_AUTH', 'allowed hosts'],
    ['ER_DBACCESS_DENIED_ERROR', 1044, 'STARTUP_ERR_MYSQL_AUTH', 'GRANT'],
    ['ER_BAD_DB_ERROR', 1049, 'STARTUP_ERR_MYSQL_DATABASE', 'database name'],
    ['ER_PARSE_ERROR', 1064, 'STARTUP_ERR_MYSQL_FAILED', 'rejected'],
  ])('fails at once on %s (%i) and says what to fix', (code, errno, kind, fix) => {
    const result = classifyMysqlError(mysqlError(code, { errno, sqlState: '42000' }));
    expect(result).toMatchObject({ code: kind, retryable: false, reason: code });
    expect(result.hint).toContain(fix);
  });

  it.each(['HANDSHAKE_NO_SSL_SUPPORT', 'DEPTH_ZERO_SELF_SIGNED_CERT'])(
    'fails at once on TLS error %s',
    (code) => {
      expect(classifyMysqlError(mysqlError(code))).toMatchObject({
        code: 'STARTUP_ERR_MYSQL_TLS',
        retryable: false,
      });
    },
  );

  it('fails at once on an unresolved host when retryUnresolvedHost is false', () => {
    expect(classifyMysqlError(mysqlError('ENOTFOUND'), { retryUnresolvedHost: false })).toMatchObject({
      code: 'STARTUP_ERR_MYSQL_HOST_NOT_FOUND',
      retryable: false,
    });
  });

  it("retries mysql2's own pool errors, which carry no code", () => {
    expect(classifyMysqlError(new Error('Pool is closed.'))).toMatchObject({
      code: 'STARTUP_ERR_MYSQL_UNAVAILABLE',
      retryable: true,
    });
  });

  it('retries an unknown error as FAILED', () => {
    expect(classifyMysqlError(new TypeError('odd'))).toMatchObject({
      code: 'STARTUP_ERR_MYSQL_FAILED',
      retryable: true,
      reason: 'TypeError',
    });
  });
});

describe('mysqlStartupError', () => {
  it('names the server and plugin, keeps the cause, and never shows the password', () => {
    const secret = 'hunter2-S3cret';
    const cause = Object.assign(new Error(`Access denied for user 'app' (using password: ${secret})`), {
      code: 'ER_ACCESS_DENIED_ERROR',
      errno: 1045,
      sqlState: '28000',
    });
    const error = mysqlStartupError(cause, {
      plugin: 'mysql',
      target: 'mysql://app@db:3306/app',
      secrets: [secret],
    });
    expect(error).toBeInstanceOf(StartupError);
    expect(error.code).toBe('STARTUP_ERR_MYSQL_AUTH');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('mysql://app@db:3306/app');
    expect(error.message).toContain('"mysql"');
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error.message).not.toContain(secret);
    expect(String((error.cause as Error).message)).not.toContain(secret);
  });
});
