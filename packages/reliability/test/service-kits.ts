import { amqp } from '@startup/amqp';
import type { AnyPlugin } from '@startup/core';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import {
  addressOf,
  amqpUrl,
  type NatsServer,
  postgresUrl,
  rabbitmqConnections,
  redisClientsNamed,
  type SecuredRedis,
  startNatsServer,
  startSecuredRedis,
} from '@startup/test-kit';
import type { ServerObserver } from '../scripts/server-observer.mjs';

/** Where a connector connects: a fault proxy, or a host that does not resolve. */
export interface Address {
  host: string;
  port: number;
}

/** How a connector under test is built: named `id` on its server, optional or not, with wrong credentials or not. */
export interface KitOptions {
  id: string;
  optional?: boolean;
  /** Connect with credentials (or, for PostgreSQL, a database) the server refuses for good. */
  wrongCredentials?: boolean;
}

/** What one service brings to the fault matrix. */
export interface ServiceKit {
  name: 'postgres' | 'redis' | 'nats' | 'amqp';
  label: string;
  /** The real server a fault proxy forwards to. */
  target: Address;
  /** The connector with test-sized timeouts and a password, connecting to `at`. */
  plugin(at: Address, options: KitOptions): AnyPlugin;
  /** The code (the connector's `StartupError` code) each fault is expected to produce. */
  codes: { down: string; blackhole: string; unknownHost: string; permanent: string };
  /** Connections the server holds for `id`. */
  serverConnections(id: string): Promise<number>;
}

/**
 * Servers that need a password, so every case carries one: a `redis-server --requirepass` and a
 * `nats-server --user --pass -js` on free ports. PostgreSQL's trust authentication takes any password.
 */
export interface SecuredServers {
  redis: SecuredRedis;
  nats: NatsServer;
  stop(): Promise<void>;
}

/** The passwords of the matrix; none may appear in any error, event, report, health result or log line. */
export const passwords = {
  postgres: 'pg-Pa55-trust-ignores-it',
  redis: 'redis-Pa55-right',
  nats: 'nats-Pa55-right',
  // The shared broker's own user (no user is added to it); still checked absent from everything shown.
  amqp: new URL(amqpUrl).password,
  wrong: 'wrong-Pa55word-never-shown',
};

/** Starts the password-protected Redis and NATS (with JetStream). */
export async function startSecuredServers(): Promise<SecuredServers> {
  const [redis, nats] = await Promise.all([
    startSecuredRedis(passwords.redis),
    startNatsServer({ user: 'reliability', pass: passwords.nats, jetstream: true }),
  ]);
  return {
    redis,
    nats,
    async stop() {
      await Promise.all([redis.stop(), nats.stop()]);
    },
  };
}

/** The services of the matrix. */
export function serviceKits(secured: SecuredServers, observer: ServerObserver): ServiceKit[] {
  return [
    {
      name: 'postgres',
      label: 'PostgreSQL',
      target: addressOf(postgresUrl),
      plugin(at, { id, optional, wrongCredentials }) {
        const url = new URL(postgresUrl);
        url.hostname = at.host;
        url.port = String(at.port);
        url.password = passwords.postgres;
        // Trust authentication takes any password: PostgreSQL's permanent error is a database that does not exist.
        if (wrongCredentials) url.pathname = '/startup_reliability_no_such_db';
        return postgres({
          url: url.toString(),
          applicationName: id,
          connectTimeoutMs: 300,
          warmConnections: 2,
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_POSTGRES_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_POSTGRES_TIMEOUT',
        unknownHost: 'STARTUP_ERR_POSTGRES_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_POSTGRES_DATABASE',
      },
      serverConnections: (id) => observer.postgres(id),
    },
    {
      name: 'redis',
      label: 'Redis',
      target: { host: '127.0.0.1', port: secured.redis.port },
      plugin(at, { id, optional, wrongCredentials }) {
        return redis({
          host: at.host,
          port: at.port,
          password: wrongCredentials ? passwords.wrong : passwords.redis,
          connectionName: id,
          connectTimeoutMs: 300,
          commandTimeoutMs: 300,
          reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_REDIS_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_REDIS_UNAVAILABLE',
        unknownHost: 'STARTUP_ERR_REDIS_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_REDIS_AUTH',
      },
      async serverConnections(id) {
        return (await redisClientsNamed(secured.redis.admin, id)).length;
      },
    },
    {
      name: 'nats',
      label: 'NATS',
      target: addressOf(secured.nats.url),
      plugin(at, { id, optional, wrongCredentials }) {
        return nats({
          servers: `nats://${at.host}:${at.port}`,
          user: 'reliability',
          pass: wrongCredentials ? passwords.wrong : passwords.nats,
          connectionName: id,
          jetstream: true,
          // Only through the proxy: the client must not learn the real server's address from INFO.
          ignoreClusterUpdates: true,
          connectTimeoutMs: 300,
          reconnectTimeWaitMs: 50,
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_NATS_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_NATS_UNAVAILABLE',
        unknownHost: 'STARTUP_ERR_NATS_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_NATS_AUTH',
      },
      async serverConnections(id) {
        return (await secured.nats.connectionNames()).filter((name) => name === id).length;
      },
    },
    {
      name: 'amqp',
      label: 'RabbitMQ',
      target: { host: new URL(amqpUrl).hostname, port: Number(new URL(amqpUrl).port || 5672) },
      plugin(at, { id, optional, wrongCredentials }) {
        return amqp({
          url: amqpUrl,
          host: at.host,
          port: at.port,
          password: wrongCredentials ? passwords.wrong : passwords.amqp,
          connectionName: id,
          connectTimeoutMs: 300,
          reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_AMQP_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_AMQP_UNAVAILABLE',
        unknownHost: 'STARTUP_ERR_AMQP_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_AMQP_AUTH',
      },
      serverConnections: (id) => rabbitmqConnections(id),
    },
  ];
}
