import { connect } from '@nats-io/transport-node';
import { createStartup, type RetryOptions } from '@startup/core';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Redis } from 'ioredis';
import { startNats, startPostgres, startRedis } from '../apps/hand-written-start.mjs';
import { currentDefault, recommendedPolicy } from '../herd/policies.js';

/** The dependency that comes up late. */
export type Connector = 'postgres' | 'redis' | 'nats';

/** Something started; closing it releases every connection. */
export interface Closable {
  close(): Promise<void>;
}

/** One way of waiting for a late dependency. */
export interface LateContender {
  name: string;
  /** Ours: the goal applies. */
  ours: boolean;
  /** The client gives up at the first refusal: one trial shows it. */
  failsAtOnce?: boolean;
  /** Resolves once the dependency is usable; rejects when it gives up or `signal` aborts. */
  start(url: string, signal: AbortSignal): Promise<Closable>;
}

function ours(connector: Connector, name: string, retryOptions: RetryOptions | undefined): LateContender {
  return {
    name,
    ours: true,
    async start(url, signal) {
      const plugin =
        connector === 'postgres'
          ? postgres({ url })
          : connector === 'redis'
            ? redis({ url })
            : nats({ servers: url, jetstream: true });
      const app = createStartup([plugin], {
        signal,
        deadlineMs: 60_000,
        ...(retryOptions ? { defaults: { retry: retryOptions } } : {}),
      });
      await app.start();
      return { close: () => app.stop() };
    },
  };
}

/** One attempt of the hand-written start (the same work as our connector, no retry). */
const attempt: Record<Connector, (url: string) => Promise<Closable>> = {
  postgres: (url) => startPostgres(url, 2),
  redis: (url) => startRedis(url),
  nats: (url) => startNats(url),
};

function cockatiel(connector: Connector): LateContender {
  return {
    name: 'cockatiel: retry(handleAll, { backoff: new ExponentialBackoff() })',
    ours: false,
    start(url, signal) {
      const policy = retry(handleAll, {
        maxAttempts: Number.POSITIVE_INFINITY,
        backoff: new ExponentialBackoff(),
      });
      return policy.execute(() => attempt[connector](url), signal);
    },
  };
}

const clientOwn: Record<Connector, LateContender[]> = {
  postgres: [
    {
      name: 'pg on its own (no retry)',
      ours: false,
      failsAtOnce: true,
      start: (url) => startPostgres(url, 2),
    },
  ],
  redis: [
    {
      name: 'ioredis on its own (default retryStrategy: min(n × 50, 2000) ms)',
      ours: false,
      start(url, signal) {
        const client = new Redis(url);
        client.on('error', () => {});
        return new Promise((resolve, reject) => {
          const onAbort = () => {
            client.disconnect();
            reject(signal.reason);
          };
          signal.addEventListener('abort', onAbort, { once: true });
          client.once('ready', () => {
            signal.removeEventListener('abort', onAbort);
            client.ping().then(
              () => resolve({ close: () => client.quit().then(() => {}) }),
              (error: unknown) => {
                client.disconnect();
                reject(error);
              },
            );
          });
        });
      },
    },
  ],
  nats: [
    {
      name: 'nats.js on its own (default: no wait on first connect)',
      ours: false,
      failsAtOnce: true,
      start: (url) => startNats(url),
    },
    {
      name: 'nats.js { waitOnFirstConnect: true } (2 s reconnect wait)',
      ours: false,
      async start(url, signal) {
        const pending = connect({ servers: url, waitOnFirstConnect: true, maxReconnectAttempts: -1 });
        const onAbort = () => void pending.then((nc) => nc.close()).catch(() => {});
        signal.addEventListener('abort', onAbort, { once: true });
        const nc = await Promise.race([
          pending,
          new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        ]);
        signal.removeEventListener('abort', onAbort);
        await nc.rtt();
        return { close: () => nc.close() };
      },
    },
  ],
};

/** Every contender for one connector: our default, our recommended default, cockatiel, the client alone. */
export function lateContenders(connector: Connector): LateContender[] {
  return [
    ours(connector, `ours, ${currentDefault.name}`, undefined),
    ours(connector, `ours, ${recommendedPolicy.name}`, recommendedPolicy.options),
    cockatiel(connector),
    ...clientOwn[connector],
  ];
}
