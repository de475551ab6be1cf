import { isStartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { resolvePostgresOptions } from './resolve-options.js';

/** The error `fn` throws, asserted to be a StartupError. */
function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isStartupError(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('resolvePostgresOptions', () => {
  it('maps the settings of the spec and the safe defaults onto pg', () => {
    const { name, poolConfig, warmConnections, closeGraceMs, retryUnresolvedHost } = resolvePostgresOptions({
      url: 'postgres://app@db:5432/app',
    });
    expect(name).toBe('postgres');
    expect(warmConnections).toBe(2);
    expect(closeGraceMs).toBe(5_000);
    expect(retryUnresolvedHost).toBe(true);
    expect(poolConfig).toMatchObject({
      connectionString: 'postgres://app@db:5432/app',
      max: 20,
      min: 2,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 10_000,
      maxLifetimeSeconds: 3_600,
      statement_timeout: 30_000,
      query_timeout: 35_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 30_000,
      application_name: 'startup',
      allowExitOnIdle: false,
    });
  });

  it('lets every default be overridden', () => {
    const { name, poolConfig, warmConnections, closeGraceMs, retryUnresolvedHost } = resolvePostgresOptions({
      name: 'db',
      host: '10.0.0.1',
      port: 6432,
      database: 'app',
      user: 'app',
      max: 5,
      min: 1,
      warmConnections: 5,
      connectTimeoutMs: 800,
      idleTimeoutMs: 0,
      maxLifetimeSeconds: 0,
      statementTimeoutMs: 0,
      closeGraceMs: 0,
      keepAlive: false,
      keepAliveInitialDelayMs: 1_000,
      applicationName: 'billing',
      retryUnresolvedHost: false,
      pg: { ssl: { rejectUnauthorized: true } },
    });
    expect(name).toBe('db');
    expect(warmConnections).toBe(5);
    expect(closeGraceMs).toBe(0);
    expect(retryUnresolvedHost).toBe(false);
    expect(poolConfig).toMatchObject({
      host: '10.0.0.1',
      port: 6432,
      database: 'app',
      user: 'app',
      max: 5,
      min: 1,
      connectionTimeoutMillis: 800,
      idleTimeoutMillis: 0,
      maxLifetimeSeconds: 0,
      statement_timeout: false,
      keepAlive: false,
      application_name: 'billing',
      ssl: { rejectUnauthorized: true },
    });
    expect(poolConfig.query_timeout).toBeUndefined();
  });

  it('caps the default warm-up at max', () => {
    expect(resolvePostgresOptions({ max: 1 }).warmConnections).toBe(1);
  });

  it('keeps a query timeout above a custom statement timeout', () => {
    expect(resolvePostgresOptions({ statementTimeoutMs: 60_000 }).poolConfig.query_timeout).toBe(65_000);
    expect(
      resolvePostgresOptions({ statementTimeoutMs: 60_000, queryTimeoutMs: 1_000 }).poolConfig.query_timeout,
    ).toBe(1_000);
  });

  it.each([
    ['url', { url: 'not a url' }],
    ['url', { url: 'mysql://app@db/app' }],
    ['url', { url: 42 }],
    ['connectionString', { url: 'postgres://a@b/c', connectionString: 'postgres://a@b/c' }],
    ['host', { url: 'postgres://a@b/c', host: 'elsewhere' }],
    ['host', { host: '' }],
    ['port', { port: 0 }],
    ['port', { port: 70_000 }],
    ['password', { password: 42 }],
    ['password', { url: 'postgres://a:b@c/d', password: 'other' }],
    ['password', { url: 'postgres://a@c/d', password: () => 'token' }],
    ['password', { url: 'postgres://a@c/d?password=b', password: 'other' }],
    ['password', { url: 'postgres://a@c/d?sslmode=disable&password=b', password: () => 'token' }],
    ['url', { url: 'postgres://a:b@c/d?password=e' }],
    ['max', { max: 0 }],
    ['max', { max: -1 }],
    ['max', { max: 2.5 }],
    ['min', { min: -1 }],
    ['min', { max: 2, min: 3 }],
    ['warmConnections', { warmConnections: -1 }],
    ['warmConnections', { max: 2, warmConnections: 3 }],
    ['connectionTimeoutMs', { connectionTimeoutMs: 0 }],
    ['connectionTimeoutMs', { connectionTimeoutMs: -5 }],
    ['connectionTimeoutMs', { connectionTimeoutMs: Number.POSITIVE_INFINITY }],
    ['idleTimeoutMs', { idleTimeoutMs: -1 }],
    ['maxLifetimeSeconds', { maxLifetimeSeconds: -1 }],
    ['statementTimeoutMs', { statementTimeoutMs: 1.5 }],
    ['queryTimeoutMs', { queryTimeoutMs: Number.NaN }],
    ['closeGraceMs', { closeGraceMs: -1 }],
    ['closeGraceMs', { closeGraceMs: '5s' }],
    ['keepAlive', { keepAlive: 'yes' }],
    ['keepAliveInitialDelayMs', { keepAliveInitialDelayMs: -1 }],
    ['applicationName', { applicationName: 'x'.repeat(64) }],
    ['applicationName', { applicationName: '' }],
    ['unknownHost', { unknownHost: 'ignore' }],
    ['retryUnresolvedHost', { retryUnresolvedHost: 'fail' }],
    ['unknownHost', { unknownHost: 'fail', retryUnresolvedHost: true }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['connectionTimeoutMs', { connectionTimeoutMs: 500, connectTimeoutMs: 500 }],
    ['retry', { retry: 'never' }],
    ['timeouts.attemptMs', { timeouts: { attemptMs: -1 } }],
    ['pg', { pg: 'ssl' }],
    ['pg.max', { pg: { max: 100 } }],
    ['pg.application_name', { pg: { application_name: 'x' } }],
    ['name', { name: '' }],
    ['maxConnections', { maxConnections: 50 }],
  ])('rejects a bad "%s" before connecting', (field, options) => {
    const error = thrown(() => resolvePostgresOptions(options as never));
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`"${field}"`);
  });

  it.each([
    'postgres://app:hunter2@db/app?sslrootcert=/nonexistent/ca.pem',
    'postgres://app@db/app?sslrootcert=/nonexistent/ca.pem&password=hunter2',
  ])('describes the target even when pg cannot read the URL parameters (%s)', (url) => {
    const { target } = resolvePostgresOptions({ url });
    expect(target).not.toContain('hunter2');
    expect(target).toContain('db');
  });

  it('describes the target without a ?password= parameter', () => {
    expect(resolvePostgresOptions({ url: 'postgres://app@db:6432/app?password=hunter2' }).target).toBe(
      'postgres://app@db:6432/app',
    );
  });

  it('names the plugin in an option error', () => {
    expect(thrown(() => resolvePostgresOptions({ name: 'orders-db', max: 0 })).plugin).toBe('orders-db');
  });

  it('names the plugin, default name included, when an option is unknown, without its value', () => {
    const error = thrown(() => resolvePostgresOptions({ urll: 'postgres://app:hunter2@db/app' } as never));
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.plugin).toBe('postgres');
    expect(error.message).toContain('"urll" of plugin "postgres"');
    expect(error.message).not.toContain('hunter2');
    expect(thrown(() => resolvePostgresOptions({ name: 'orders-db', urll: 'x' } as never)).plugin).toBe(
      'orders-db',
    );
  });

  it('accepts postgresql:// as well as postgres://', () => {
    expect(resolvePostgresOptions({ url: 'postgresql://a@b/c' }).poolConfig.connectionString).toBe(
      'postgresql://a@b/c',
    );
  });

  it('carries a separate password inside the URL, since pg lets the URL win', () => {
    const { poolConfig } = resolvePostgresOptions({ url: 'postgres://app@db/app', password: 'p@ss word' });
    expect(new URL(poolConfig.connectionString!).password).toBe(encodeURIComponent('p@ss word'));
  });

  it('describes an IPv6 server with brackets', () => {
    expect(resolvePostgresOptions({ url: 'postgres://app@[::1]:5432/app' }).target).toBe(
      'postgres://app@[::1]:5432/app',
    );
    expect(resolvePostgresOptions({ host: '::1', user: 'app', database: 'x' }).target).toBe(
      'postgres://app@[::1]:5432/x',
    );
  });

  it('describes the target without the password', () => {
    const { target } = resolvePostgresOptions({ url: 'postgres://app:hunter2@db:6432/app' });
    expect(target).toBe('postgres://app@db:6432/app');
    expect(
      resolvePostgresOptions({ host: 'db', user: 'app', password: 'hunter2', database: 'x' }).target,
    ).toBe('postgres://app@db:5432/x');
  });
});

describe('option errors and passwords', () => {
  it.each([
    ['postgres://app:hunter2@db:notaport/app'],
    ['mysql://app:hunter2@db/app'],
    ['postgres://app:hun@ter2@db:x/app'],
    ['postgres://app@db:x/app?password=hunter2 ter2'],
    ['mysql://app@db/app?sslmode=disable&password=hunter2'],
  ])('never show the password of a rejected URL (%s)', (url) => {
    const error = thrown(() => resolvePostgresOptions({ url }));
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('ter2');
    expect(JSON.stringify(error)).not.toContain('ter2');
  });

  it.each([['postgres://a:hunter2@c/d'], ['postgres://a@c/d?password=hunter2']])(
    'never show a password given twice (%s)',
    (url) => {
      const error = thrown(() => resolvePostgresOptions({ url, password: 'other-secret' }));
      expect(error.message).not.toContain('hunter2');
      expect(error.message).not.toContain('other-secret');
    },
  );
  it('still takes the deprecated connectionTimeoutMs and unknownHost', () => {
    const { poolConfig, retryUnresolvedHost } = resolvePostgresOptions({
      connectionTimeoutMs: 700,
      unknownHost: 'fail',
    });
    expect(poolConfig.connectionTimeoutMillis).toBe(700);
    expect(retryUnresolvedHost).toBe(false);
    expect(resolvePostgresOptions({ unknownHost: 'retry' }).retryUnresolvedHost).toBe(true);
  });
});
