import { isStartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { resolveMysqlOptions } from './resolve-options.js';

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

describe('resolveMysqlOptions', () => {
  it('maps the URL and the safe defaults onto mysql2', () => {
    const resolved = resolveMysqlOptions({ url: 'mysql://app:pw@db:3307/shop' });
    expect(resolved).toMatchObject({
      name: 'mysql',
      warmConnections: 2,
      maxLifetimeMs: 3_600_000,
      closeGraceMs: 5_000,
      retryUnresolvedHost: true,
      target: 'mysql://app@db:3307/shop',
      secrets: ['pw'],
    });
    expect(resolved.poolConfig).toEqual({
      host: 'db',
      port: 3307,
      database: 'shop',
      user: 'app',
      password: 'pw',
      connectionLimit: 20,
      maxIdle: 2,
      idleTimeout: 60_000,
      connectTimeout: 5_000,
      enableKeepAlive: true,
      keepAliveInitialDelay: 30_000,
      connectAttributes: { program_name: 'startup' },
      waitForConnections: true,
    });
  });

  it('takes discrete fields, decodes URL parts and keeps IPv6 hosts bare', () => {
    expect(
      resolveMysqlOptions({ host: 'db', port: 3310, user: 'u', password: 'p@ss', database: 'd' }).poolConfig,
    ).toMatchObject({ host: 'db', port: 3310, user: 'u', password: 'p@ss', database: 'd' });
    const fromUrl = resolveMysqlOptions({ url: 'mariadb://us%40er:p%2Fw@[::1]/my%20db' });
    expect(fromUrl.poolConfig).toMatchObject({
      host: '::1',
      port: 3306,
      user: 'us@er',
      password: 'p/w',
      database: 'my db',
    });
    expect(fromUrl.target).toBe('mysql://us%40er@[::1]:3306/my db');
  });

  it('lets every default be overridden, passing other mysql2 options through', () => {
    const { poolConfig, warmConnections, maxLifetimeMs, closeGraceMs } = resolveMysqlOptions({
      name: 'orders',
      max: 5,
      warmConnections: 5,
      maxIdle: 3,
      connectTimeoutMs: 1_000,
      idleTimeoutMs: 0,
      maxLifetimeSeconds: 0,
      closeGraceMs: 0,
      keepAlive: false,
      keepAliveInitialDelayMs: 1,
      applicationName: 'orders-api',
      mysql2: { charset: 'utf8mb4', timezone: 'Z' },
    });
    expect(warmConnections).toBe(5);
    expect(maxLifetimeMs).toBe(0);
    expect(closeGraceMs).toBe(0);
    expect(poolConfig).toMatchObject({
      connectionLimit: 5,
      maxIdle: 3,
      connectTimeout: 1_000,
      idleTimeout: 0,
      enableKeepAlive: false,
      keepAliveInitialDelay: 1,
      connectAttributes: { program_name: 'orders-api' },
      charset: 'utf8mb4',
      timezone: 'Z',
    });
  });

  it('caps the default warm-up at max', () => {
    expect(resolveMysqlOptions({ max: 1 }).warmConnections).toBe(1);
  });

  it.each([
    [{ max: 0 }, 'max'],
    [{ warmConnections: 3, max: 2 }, 'warmConnections'],
    [{ maxIdle: 21 }, 'maxIdle'],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    [{ idleTimeoutMs: -1 }, 'idleTimeoutMs'],
    [{ maxLifetimeSeconds: 1.5 }, 'maxLifetimeSeconds'],
    [{ closeGraceMs: -1 }, 'closeGraceMs'],
    [{ closeGraceMs: '5s' }, 'closeGraceMs'],
    [{ keepAlive: 'yes' }, 'keepAlive'],
    [{ applicationName: '' }, 'applicationName'],
    [{ applicationName: 'x'.repeat(65) }, 'applicationName'],
    [{ retryUnresolvedHost: 1 }, 'retryUnresolvedHost'],
    [{ port: 70_000 }, 'port'],
    [{ host: '' }, 'host'],
    [{ url: 'postgres://db/x' }, 'url'],
    [{ url: 'mysql://db/x?ssl=true' }, 'url'],
    [{ url: 'mysql://db/a/b' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'mysql://db/x', host: 'other' }, 'host'],
    [{ url: 'mysql://u:pw@db/x', password: 'pw2' }, 'password'],
    [{ mysql2: { connectionLimit: 3 } }, 'mysql2.connectionLimit'],
    [{ mysql2: { uri: 'mysql://db' } }, 'mysql2.uri'],
    [{ urll: 'mysql://db' }, 'urll'],
  ])('refuses %j, naming %s', (options, field) => {
    const error = thrown(() => resolveMysqlOptions(options as never));
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).toContain(field);
    expect(error.message).toContain('"mysql"');
  });

  it('never shows a password in an option error', () => {
    for (const options of [
      { url: 'mysql://u:hunter2@db/x?a=1' },
      { url: 'mysql://u:hunter2@db/x', password: 'hunter3' },
      { url: 'mysql://u:hunter2@[bad/x' },
      { password: 42 },
    ]) {
      const error = thrown(() => resolveMysqlOptions(options as never));
      expect(error.message).not.toContain('hunter');
    }
  });
});
