import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { enterRuntimeMode, reconnectStrategy, startClientOptions } from './client-options.js';
import { resolveRedisOptions } from './resolve-options.js';

const clients: Redis[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

describe('startClientOptions', () => {
  it('makes a lazy client that never reconnects or queues by itself while starting', () => {
    const options = startClientOptions(resolveRedisOptions({ connectionName: 'svc-a' }));
    expect(options).toMatchObject({
      lazyConnect: true,
      enableOfflineQueue: false,
      connectionName: 'svc-a',
      connectTimeout: 3_000,
      commandTimeout: 5_000,
      keepAlive: 300_000,
      maxRetriesPerRequest: 20,
      host: '127.0.0.1',
      port: 6379,
      db: 0,
    });
    expect(options.retryStrategy?.(1)).toBeNull();
  });

  it('passes other ioredis options through', () => {
    expect(startClientOptions(resolveRedisOptions({ ioredis: { keyPrefix: 'app:' } })).keyPrefix).toBe(
      'app:',
    );
  });

  it('enables TLS for rediss:// and leaves it off otherwise', () => {
    expect(startClientOptions(resolveRedisOptions({ url: 'rediss://cache' })).tls).toEqual({});
    expect(startClientOptions(resolveRedisOptions({ url: 'redis://cache' }))).not.toHaveProperty('tls');
  });
});

describe('enterRuntimeMode', () => {
  it('switches a started client to reconnecting with backoff and queueing while offline', () => {
    const options = resolveRedisOptions({ reconnect: { jitter: 'none' } });
    const client = new Redis(startClientOptions(options));
    clients.push(client);
    enterRuntimeMode(client, options);
    expect(client.options.enableOfflineQueue).toBe(true);
    expect([1, 2, 3, 7, 8].map((n) => client.options.retryStrategy?.(n))).toEqual([
      50, 100, 200, 2_000, 2_000,
    ]);
  });

  it('keeps reconnection off when reconnect is false', () => {
    const options = resolveRedisOptions({ reconnect: false, enableOfflineQueue: false });
    const client = new Redis(startClientOptions(options));
    clients.push(client);
    enterRuntimeMode(client, options);
    expect(client.options.retryStrategy?.(1)).toBeNull();
    expect(client.options.enableOfflineQueue).toBe(false);
  });
});

describe('reconnectStrategy', () => {
  it('spreads delays by the jitter, using the injected random source', () => {
    const policy = resolveRedisOptions().reconnect;
    if (policy === false) throw new Error('expected a policy');
    expect(reconnectStrategy(policy, () => 0)(1)).toBe(40);
    expect(reconnectStrategy(policy, () => 0.5)(1)).toBe(50);
    expect(reconnectStrategy(policy, () => 0.999_999)(10)).toBe(2_400);
  });
});
