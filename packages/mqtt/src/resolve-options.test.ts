import { isStartupError, type StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { startClientOptions } from './client-options.js';
import type { MqttPluginOptions } from './options.js';
import { resolveMqttOptions } from './resolve-options.js';
import { mqttDefaults } from './schema.js';

function rejectionOf(options: unknown): StartupError {
  try {
    resolveMqttOptions(options as MqttPluginOptions<string>);
  } catch (error) {
    if (isStartupError(error)) return error;
    throw error;
  }
  throw new Error('expected a StartupError');
}

describe('resolveMqttOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveMqttOptions();
    expect(resolved).toMatchObject({
      name: 'mqtt',
      host: '127.0.0.1',
      port: 1883,
      username: undefined,
      password: undefined,
      tls: undefined,
      protocolVersion: 4,
      clean: true,
      keepAliveSeconds: 60,
      connectTimeoutMs: 3_000,
      reconnectPeriodMs: 1_000,
      retryUnresolvedHost: true,
      target: 'mqtt://127.0.0.1:1883',
      secrets: [],
    });
    expect(resolved.clientId).toMatch(/^startup-[0-9a-f]{12}$/);
    expect(resolved.connectTimeoutMs).toBe(mqttDefaults.connectTimeoutMs);
  });

  it('takes the connection from the URL and lets explicit fields override it', () => {
    const resolved = resolveMqttOptions({ url: 'mqtts://app:old@broker:8884', password: 'new' });
    expect(resolved).toMatchObject({
      host: 'broker',
      port: 8884,
      username: 'app',
      password: 'new',
      tls: {},
      target: 'mqtts://broker:8884',
      secrets: ['new'],
    });
  });

  it('uses port 8883 for mqtts:// without a port, and decodes credentials', () => {
    const resolved = resolveMqttOptions({ url: 'mqtts://a%40b:p%3Ass@broker' });
    expect(resolved).toMatchObject({ port: 8883, username: 'a@b', password: 'p:ss' });
  });

  it.each([
    [{ url: 'http://broker' }, 'url'],
    [{ url: 'ws://broker:8080' }, 'url'],
    [{ url: 'mqtt://broker/topic' }, 'url'],
    [{ url: 'mqtt://broker?clientId=x' }, 'url'],
    [{ url: 'mqtt://broker:0' }, 'url'],
    [{ host: 'a b' }, 'host'],
    [{ port: 70_000 }, 'port'],
    [{ protocolVersion: 3 }, 'protocolVersion'],
    [{ clientId: '' }, 'clientId'],
    [{ clientId: 'has space' }, 'clientId'],
    [{ keepAliveSeconds: 70_000 }, 'keepAliveSeconds'],
    [{ keepAliveSeconds: 1.5 }, 'keepAliveSeconds'],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    [{ reconnectPeriodMs: -1 }, 'reconnectPeriodMs'],
    [{ clean: 'yes' }, 'clean'],
    [{ tls: 'on' }, 'tls'],
    [{ password: 'pw' }, 'username'],
    [{ mqtt: { reconnectPeriod: 5 } }, 'mqtt.reconnectPeriod'],
    [{ mqtt: { clientId: 'x' } }, 'mqtt.clientId'],
    [{ urll: 'mqtt://broker' }, 'urll'],
  ])('refuses %j, naming %s, before anything connects', (options, field) => {
    const error = rejectionOf(options);
    expect(error.code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(error.message).toContain(`"${field}"`);
  });

  it('never shows a password from the URL in its refusals', () => {
    const error = rejectionOf({ url: 'mqtt://app:s3cret-pw@broker/path' });
    expect(error.message).not.toContain('s3cret-pw');
    const undecodable = rejectionOf({ url: 'mqtt://app:s3cret%zz@broker' });
    expect(undecodable.message).not.toContain('s3cret');
  });

  it('allows a password without a user name in MQTT 5 only', () => {
    expect(resolveMqttOptions({ password: 'pw', protocolVersion: 5 }).password).toBe('pw');
  });
});

describe('startClientOptions', () => {
  it('makes a client that never reconnects while starting and connects only when told', () => {
    const options = startClientOptions(resolveMqttOptions({ clientId: 'svc-a', reconnectPeriodMs: 250 }));
    expect(options).toMatchObject({
      protocol: 'mqtt',
      host: '127.0.0.1',
      port: 1883,
      clientId: 'svc-a',
      protocolVersion: 4,
      clean: true,
      keepalive: 60,
      connectTimeout: 3_000,
      reconnectPeriod: 0,
      reconnectOnConnackError: false,
      manualConnect: true,
    });
    expect(options).not.toHaveProperty('password');
  });

  it('passes other MQTT.js options through, and TLS options to the socket', () => {
    const options = startClientOptions(
      resolveMqttOptions({
        url: 'mqtts://broker',
        tls: { rejectUnauthorized: false },
        mqtt: { queueQoSZero: false },
      }),
    );
    expect(options).toMatchObject({
      protocol: 'mqtts',
      queueQoSZero: false,
      rejectUnauthorized: false,
      port: 8883,
    });
  });
});
