import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { enableReconnect } from './enable-reconnect.js';
import { resolveNatsOptions } from './resolve-options.js';

/** The part of nats.js' `NatsConnectionImpl` that `enableReconnect` touches. */
function connection(options?: object): NatsConnection {
  return { options } as unknown as NatsConnection;
}

describe('enableReconnect', () => {
  it('turns reconnection on in the options nats.js reads at each disconnect', () => {
    const nc = connection({ reconnect: false });
    enableReconnect(nc, resolveNatsOptions());
    expect(nc).toMatchObject({ options: { reconnect: true } });
  });

  it('leaves reconnection off for maxReconnectAttempts 0, which nats.js would still try once', () => {
    const nc = connection({ reconnect: false });
    enableReconnect(nc, resolveNatsOptions({ maxReconnectAttempts: 0 }));
    expect(nc).toMatchObject({ options: { reconnect: false } });
  });

  it('fails for good, naming the plugin, on a nats.js that keeps its options elsewhere', () => {
    expect(() => enableReconnect(connection(), resolveNatsOptions({ name: 'bus' }))).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_NATS_CLIENT_OPTION', plugin: 'bus', retryable: false }),
    );
  });
});
