import { StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { classifyPostgresError, postgresStartupError, toPostgresError } from './classify-error.js';

/** An error shaped like pg's: a message and a SQLSTATE or errno `code`. */
const pgError = (code: string | undefined, message = 'boom') => Object.assign(new Error(message), { code });

describe('classifyPostgresError', () => {
  it.each([
    ['ECONNREFUSED', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['ECONNRESET', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['EHOSTUNREACH', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['EAI_AGAIN', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['ETIMEDOUT', 'STARTUP_ERR_POSTGRES_TIMEOUT'],
    ['57P03', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['57P01', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['53300', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['08006', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
    ['57014', 'STARTUP_ERR_POSTGRES_TIMEOUT'],
    ['ENOTFOUND', 'STARTUP_ERR_POSTGRES_HOST_NOT_FOUND'],
  ])('retries %s', (code, kind) => {
    expect(classifyPostgresError(pgError(code))).toMatchObject({ code: kind, retryable: true });
  });

  it.each([
    ['28P01', 'STARTUP_ERR_POSTGRES_AUTH', 'password'],
    ['28000', 'STARTUP_ERR_POSTGRES_AUTH', 'user name'],
    ['3D000', 'STARTUP_ERR_POSTGRES_DATABASE', 'database name'],
    ['42501', 'STARTUP_ERR_POSTGRES_AUTH', 'GRANT CONNECT'],
    ['42601', 'STARTUP_ERR_POSTGRES_FAILED', 'rejected'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'STARTUP_ERR_POSTGRES_TLS', 'ssl'],
  ])('fails at once on %s and says what to fix', (code, kind, fix) => {
    const result = classifyPostgresError(pgError(code));
    expect(result).toMatchObject({ code: kind, retryable: false });
    expect(result.hint).toContain(fix);
    expect(result.reason).toBe(code);
  });

  it.each([
    ['timeout expired', 'STARTUP_ERR_POSTGRES_TIMEOUT'],
    ['Connection terminated due to connection timeout', 'STARTUP_ERR_POSTGRES_TIMEOUT'],
    ['timeout exceeded when trying to connect', 'STARTUP_ERR_POSTGRES_TIMEOUT'],
    ['Query read timeout', 'STARTUP_ERR_POSTGRES_TIMEOUT'],
    ['Connection terminated unexpectedly', 'STARTUP_ERR_POSTGRES_UNAVAILABLE'],
  ])('retries pg\'s uncoded "%s"', (message, kind) => {
    expect(classifyPostgresError(new Error(message))).toMatchObject({ code: kind, retryable: true });
  });

  it.each([
    ['The server does not support SSL connections'],
    ['SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'],
  ])('fails at once on pg\'s uncoded "%s"', (message) => {
    expect(classifyPostgresError(new Error(message)).retryable).toBe(false);
  });

  it('reads the code of the cause pg wraps a connection timeout in', () => {
    const error = new Error('Connection terminated due to connection timeout', {
      cause: pgError('ETIMEDOUT'),
    });
    expect(classifyPostgresError(error)).toMatchObject({
      code: 'STARTUP_ERR_POSTGRES_TIMEOUT',
      retryable: true,
    });
  });

  it('retries an unresolvable host by default, and fails at once with retryUnresolvedHost: false', () => {
    expect(classifyPostgresError(pgError('ENOTFOUND'))).toMatchObject({
      code: 'STARTUP_ERR_POSTGRES_HOST_NOT_FOUND',
      retryable: true,
    });
    expect(classifyPostgresError(pgError('ENOTFOUND'), { retryUnresolvedHost: false }).retryable).toBe(false);
  });

  it("still takes the deprecated unknownHost: 'fail'", () => {
    expect(classifyPostgresError(pgError('ENOTFOUND'), { unknownHost: 'fail' }).retryable).toBe(false);
  });

  it('retries an error it does not know', () => {
    expect(classifyPostgresError(new Error('something odd')).retryable).toBe(true);
    expect(classifyPostgresError('a string').retryable).toBe(true);
  });
});

describe('postgresStartupError', () => {
  const context = { plugin: 'postgres', target: 'postgres://app@db:5432/app' };

  it('keeps the pg error as the cause and names the plugin and the server', () => {
    const cause = pgError('3D000', 'database "nope" does not exist');
    const error = postgresStartupError(cause, context);
    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({
      code: 'STARTUP_ERR_POSTGRES_DATABASE',
      plugin: 'postgres',
      retryable: false,
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('postgres://app@db:5432/app');
    expect(error.message).toContain('3D000');
  });

  it('redacts a password that a cause message carries', () => {
    const error = postgresStartupError(new Error('could not reach postgres://app:hunter2@db/app'), context);
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('returns a StartupError as it is', () => {
    const original = new StartupError('STARTUP_ERR_ATTEMPT_TIMEOUT', 'timed out', { retryable: true });
    expect(postgresStartupError(original, context)).toBe(original);
  });

  it('is still exported under its deprecated name', () => {
    expect(toPostgresError).toBe(postgresStartupError);
  });
});
