import { describe, expect, it } from 'vitest';
import { connectionOptions } from './client-options.js';
import { resolveNatsOptions } from './resolve-options.js';

describe('connectionOptions', () => {
  it('maps the settings of the spec and the defaults onto nats.js options', () => {
    expect(connectionOptions(resolveNatsOptions())).toEqual({
      servers: ['127.0.0.1:4222'],
      name: 'startup',
      timeout: 2_000,
      pingInterval: 120_000,
      maxPingOut: 2,
      reconnect: false,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 2_000,
      waitOnFirstConnect: false,
      ignoreClusterUpdates: false,
    });
  });

  it('passes credentials, TLS and further client options through', () => {
    const options = connectionOptions(
      resolveNatsOptions({
        servers: 'tls://app:pw@bus:4443',
        connectionName: 'orders',
        client: { inboxPrefix: '_INBOX_orders' },
      }),
    );
    expect(options).toMatchObject({
      servers: ['bus:4443'],
      user: 'app',
      pass: 'pw',
      tls: {},
      name: 'orders',
      inboxPrefix: '_INBOX_orders',
    });
  });

  it('connects with reconnection off whatever the reconnection options, so an aborted handshake ends at once', () => {
    expect(connectionOptions(resolveNatsOptions({ maxReconnectAttempts: 5 })).reconnect).toBe(false);
  });

  it('never waits on the first connect, which would neither settle nor abort', () => {
    expect(connectionOptions(resolveNatsOptions({ maxReconnectAttempts: 5 })).waitOnFirstConnect).toBe(false);
  });
});
