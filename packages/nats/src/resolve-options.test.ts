import { isStartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import type { NatsPluginOptions } from './options.js';
import { resolveNatsOptions } from './resolve-options.js';
import { natsDefaults } from './schema.js';

function invalid(options: unknown): { field: string; message: string } {
  try {
    resolveNatsOptions(options as NatsPluginOptions<string>);
  } catch (error) {
    if (isStartupError(error) && error.code === 'STARTUP_ERR_INVALID_OPTION') {
      return { field: /"([^"]+)"/.exec(error.message)?.[1] ?? '', message: error.message };
    }
    throw error;
  }
  throw new Error('expected resolveNatsOptions to throw');
}

describe('resolveNatsOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveNatsOptions();
    expect(resolved).toMatchObject({
      name: 'nats',
      connectionName: 'startup',
      connectTimeoutMs: 2_000,
      pingIntervalMs: 120_000,
      maxPingOut: 2,
      maxReconnectAttempts: -1,
      reconnectTimeWaitMs: 2_000,
      ignoreClusterUpdates: false,
      jetstream: undefined,
      retryUnresolvedHost: true,
      target: 'nats://127.0.0.1:4222',
      secrets: [],
    });
    expect(resolved.servers.map((s) => s.hostPort)).toEqual(['127.0.0.1:4222']);
    expect(natsDefaults.maxReconnectAttempts).toBe(Number.POSITIVE_INFINITY);
  });

  it('splits a comma-separated server string, the NATS_URL convention', () => {
    const resolved = resolveNatsOptions({ servers: 'nats://a:4222, nats://b:4223' });
    expect(resolved.servers.map((s) => s.hostPort)).toEqual(['a:4222', 'b:4223']);
    expect(resolved.target).toBe('nats://a:4222,nats://b:4223');
  });

  it('reads a password holding a comma in one server string, and never shows a piece of it', () => {
    const resolved = resolveNatsOptions({ servers: 'nats://natsuser:1234,5678@127.0.0.1:4222' });
    expect(resolved).toMatchObject({ user: 'natsuser', pass: '1234,5678', target: 'nats://127.0.0.1:4222' });
    expect(resolved.servers.map((s) => s.hostPort)).toEqual(['127.0.0.1:4222']);
    for (const servers of [
      'nats://natsuser:1234,5678@127.0.0.1:notaport',
      'nats://natsuser:1234,5678@',
      'nats://natsuser:1234,5678@h:1,nats://natsuser:1234,5678@http://x',
      'nats://natsuser:1234,56@78@h:99999',
      'http://natsuser:1234,5678@h',
    ]) {
      const { message } = invalid({ servers });
      expect(message).not.toMatch(/1234|5678/);
    }
  });

  it('names the bad entry of a server list', () => {
    expect(invalid({ servers: ['nats://a:4222', 'http://b'] }).field).toBe('servers[1]');
  });

  it('rejects an empty server list', () => {
    expect(invalid({ servers: [] }).field).toBe('servers');
  });

  it('takes credentials from the URL unless options give them', () => {
    expect(resolveNatsOptions({ servers: 'nats://u:p@h' })).toMatchObject({
      user: 'u',
      pass: 'p',
      secrets: ['p'],
    });
    expect(resolveNatsOptions({ servers: 'nats://u:p@h', token: 't' })).toMatchObject({
      user: undefined,
      pass: undefined,
      token: 't',
      secrets: ['t'],
    });
  });

  it('keeps credentials out of the target used in messages', () => {
    expect(resolveNatsOptions({ servers: 'nats://u:hunter2@h:4222' }).target).toBe('nats://h:4222');
  });

  it('rejects servers whose URLs carry different credentials', () => {
    const { field, message } = invalid({ servers: ['nats://u:one@a', 'nats://u:two@b'] });
    expect(field).toBe('servers');
    expect(message).not.toMatch(/one|two/);
  });

  it('requires user and pass together, and no token with a user', () => {
    expect(invalid({ user: 'app' }).field).toBe('pass');
    expect(invalid({ pass: 'hunter2' }).field).toBe('user');
    expect(invalid({ user: 'app', pass: 'p', token: 't' }).field).toBe('token');
  });

  it('never shows a bad password or token, not even redacted', () => {
    expect(invalid({ user: 'app', pass: '' }).message).toContain('(empty)');
    expect(invalid({ token: 42 }).message).not.toContain('42');
    expect(invalid({ user: 'app', pass: 'hunter2', token: 'tok3n' }).message).not.toMatch(/hunter2|tok3n/);
  });

  it.each([
    ['connectTimeoutMs', -1],
    ['connectTimeoutMs', 0],
    ['connectTimeoutMs', Number.NaN],
    ['pingIntervalMs', -5],
    ['reconnectTimeWaitMs', -1],
    ['maxPingOut', 0],
    ['maxPingOut', 1.5],
    ['maxReconnectAttempts', -2],
    ['connectionName', ''],
    ['ignoreClusterUpdates', 'yes'],
    ['retryUnresolvedHost', 1],
    ['name', 42],
  ])('rejects %s = %j naming the field', (field, value) => {
    expect(invalid({ [field]: value }).field).toBe(field);
  });

  it('maps an unlimited number of reconnections to nats.js -1', () => {
    expect(resolveNatsOptions({ maxReconnectAttempts: Number.POSITIVE_INFINITY }).maxReconnectAttempts).toBe(
      -1,
    );
    expect(resolveNatsOptions({ maxReconnectAttempts: -1 }).maxReconnectAttempts).toBe(-1);
    expect(resolveNatsOptions({ maxReconnectAttempts: 5 }).maxReconnectAttempts).toBe(5);
  });

  it('requires TLS for tls:// servers and refuses tls: null with them', () => {
    expect(resolveNatsOptions({ servers: 'tls://h:4443' }).tls).toEqual({});
    expect(resolveNatsOptions({ servers: 'nats://h' }).tls).toBeUndefined();
    expect(invalid({ servers: 'tls://h', tls: null }).field).toBe('tls');
    expect(invalid({ tls: 'yes' }).field).toBe('tls');
  });

  it('reads JetStream options', () => {
    expect(resolveNatsOptions({ jetstream: true }).jetstream).toEqual({ timeout: 5_000 });
    expect(resolveNatsOptions({ jetstream: false }).jetstream).toBeUndefined();
    expect(resolveNatsOptions({ jetstream: { domain: 'hub', timeoutMs: 800 } }).jetstream).toEqual({
      domain: 'hub',
      timeout: 800,
    });
    expect(invalid({ jetstream: { timeoutMs: -1 } }).field).toBe('jetstream.timeoutMs');
    expect(invalid({ jetstream: { domain: 'a', apiPrefix: 'b' } }).field).toBe('jetstream.apiPrefix');
    expect(invalid({ jetstream: 'on' }).field).toBe('jetstream');
  });

  it('refuses client options the plugin sets itself', () => {
    expect(invalid({ client: { waitOnFirstConnect: true } }).field).toBe('client.waitOnFirstConnect');
    expect(invalid({ client: { pass: 'x' } }).field).toBe('client.pass');
    expect(resolveNatsOptions({ client: { noEcho: true } }).client).toEqual({ noEcho: true });
  });

  it('rejects an option it does not know, naming it and the plugin', () => {
    expect(invalid({ servrs: 'nats://bus:4222' }).field).toBe('servrs');
    expect(invalid({ name: 'events', jetstrem: true }).message).toContain('of plugin "events"');
    expect(invalid({ jetstrem: true }).message).toContain('of plugin "nats"');
    expect(invalid({ jetstream: { bogus: 1 } }).field).toBe('jetstream.bogus');
    expect(invalid({ pasword: 'hunter2' }).message).not.toContain('hunter2');
  });

  it('rejects options that are not an object', () => {
    expect(invalid('nats://h').field).toBe('options');
  });
});
