import { isStartupError, type StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import type { AmqpPluginOptions } from './options.js';
import { resolveAmqpOptions } from './resolve-options.js';
import { amqpDefaults } from './schema.js';

function rejectionOf(options: unknown): StartupError {
  try {
    resolveAmqpOptions(options as AmqpPluginOptions<string>);
  } catch (error) {
    if (isStartupError(error)) return error;
    throw error;
  }
  throw new Error('expected a StartupError');
}

describe('resolveAmqpOptions', () => {
  it('fills in the documented defaults, guest/guest as amqplib does', () => {
    expect(resolveAmqpOptions()).toMatchObject({
      name: 'amqp',
      host: '127.0.0.1',
      port: 5672,
      vhost: '/',
      username: 'guest',
      password: 'guest',
      tls: undefined,
      connectionName: 'startup',
      connectTimeoutMs: 3_000,
      heartbeatSeconds: 60,
      frameMax: 131_072,
      channelMax: 2_047,
      reconnect: { initialDelayMs: 50, multiplier: 2, maxDelayMs: 2_000 },
      retryUnresolvedHost: true,
      target: 'amqp://127.0.0.1:5672/%2F',
      secrets: [],
    });
    expect(amqpDefaults).toMatchObject({ connectTimeoutMs: 3_000, heartbeatSeconds: 60, channelMax: 2_047 });
  });

  it('takes the connection from the URL and lets explicit fields override it', () => {
    const resolved = resolveAmqpOptions({
      url: 'amqps://app:old@broker/orders%2Fv2',
      password: 'new',
      port: 5700,
    });
    expect(resolved).toMatchObject({
      host: 'broker',
      port: 5700,
      vhost: 'orders/v2',
      username: 'app',
      password: 'new',
      tls: {},
      target: 'amqps://broker:5700/orders%2Fv2',
      secrets: ['new'],
    });
  });

  it('defaults the port to 5671 with TLS, and decodes percent-encoded credentials', () => {
    expect(resolveAmqpOptions({ url: 'amqps://a%40b:p%3Aw@broker' })).toMatchObject({
      port: 5671,
      username: 'a@b',
      password: 'p:w',
      secrets: ['p:w'],
    });
    expect(resolveAmqpOptions({ host: 'broker', tls: true }).port).toBe(5671);
  });

  it('sends no password but an empty one when only a username is given', () => {
    expect(resolveAmqpOptions({ username: 'app' })).toMatchObject({
      username: 'app',
      password: '',
      secrets: [],
    });
  });

  it('takes reconnect: false to stay down after a loss', () => {
    expect(resolveAmqpOptions({ reconnect: false }).reconnect).toBe(false);
  });

  it('brackets an IPv6 host in the target', () => {
    expect(resolveAmqpOptions({ url: 'amqp://[::1]:5673/' }).target).toBe('amqp://[::1]:5673/%2F');
  });

  it.each([
    ['url', { url: 'http://broker' }],
    ['url', { url: 'amqp://broker/?heartbeat=10' }],
    ['url', { url: 'amqp://broker/a/b' }],
    ['url', { url: 'amqp://broker/%E0%A4%A' }],
    ['url', { url: 42 }],
    ['host', { host: 'a b' }],
    ['port', { port: 70_000 }],
    ['vhost', { vhost: '' }],
    ['vhost', { vhost: 'a\nb' }],
    ['password', { password: '' }],
    ['connectionName', { connectionName: 'x'.repeat(256) }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['heartbeatSeconds', { heartbeatSeconds: 1.5 }],
    ['frameMax', { frameMax: 1_024 }],
    ['channelMax', { channelMax: 70_000 }],
    ['retryUnresolvedHost', { retryUnresolvedHost: 'yes' }],
    ['tls', { tls: 'on' }],
    ['reconnect', { reconnect: true }],
    ['reconnect.maxAttempts', { reconnect: { maxAttempts: 3 } }],
    ['reconnect.maxDelayMs', { reconnect: { maxDelayMs: -1 } }],
    ['urll', { urll: 'amqp://broker' }],
    ['retry', { retry: { maxAttempts: 0 } }],
  ])('rejects a bad %s before anything connects, naming the field and the plugin', (field, options) => {
    const error = rejectionOf({ name: 'events', ...options });
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).toContain(field);
    expect(error.message).toContain('events');
  });

  it('never shows the password of a rejected URL', () => {
    const error = rejectionOf({ url: 'amqp://app:hunter2-secret@broker/?x=1' });
    expect(error.message).not.toContain('hunter2-secret');
  });
});
