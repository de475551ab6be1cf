import { amqp } from '@startup/amqp';
import type { AnyPlugin } from '@startup/core';
import { httpService } from '@startup/http';
import { mqtt } from '@startup/mqtt';
import { mysql } from '@startup/mysql';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import {
  addressOf,
  amqpUrl,
  type MosquittoServer,
  type NatsServer,
  postgresUrl,
  rabbitmqConnections,
  redisClientsNamed,
  type SecuredMariadb,
  type SecuredRedis,
  startMosquitto,
  startNatsServer,
  startSecuredMariadb,
  startSecuredRedis,
} from '@startup/test-kit';
import type { ServerObserver } from '../scripts/server-observer.mjs';
import { caseHeader, type SecuredHttpUpstream, startSecuredHttpUpstream } from './secured-http-upstream.js';

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
  name: 'postgres' | 'redis' | 'nats' | 'mysql' | 'mqtt' | 'amqp' | 'http';
  label: string;
  /**
   * How the connector notices that its server went away: its connection closing (a client that holds one), or
   * the next request (HTTP holds nothing between requests). For `request`, the runtime faults poll the health
   * check while they wait, as a readiness probe would.
   */
  noticesLoss: 'connection' | 'request';
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
  /** A throw-away MariaDB with a password user: the shared one's root has none. */
  mysql: SecuredMariadb;
  /** A `mosquitto` with a password file (its own log counts the connections per client id). */
  mqtt: MosquittoServer;
  /** An HTTP upstream of the test's own that wants Basic credentials. */
  http: SecuredHttpUpstream;
  stop(): Promise<void>;
}

/** The passwords of the matrix; none may appear in any error, event, report, health result or log line. */
export const passwords = {
  postgres: 'pg-Pa55-trust-ignores-it',
  redis: 'redis-Pa55-right',
  nats: 'nats-Pa55-right',
  mysql: 'mysql-Pa55-right',
  mqtt: 'mqtt-Pa55-right',
  // The shared broker's own user (no user is added to it); still checked absent from everything shown.
  amqp: new URL(amqpUrl).password,
  http: 'http-Pa55-right',
  wrong: 'wrong-Pa55word-never-shown',
};

/** Starts the password-protected Redis and NATS (with JetStream). */
export async function startSecuredServers(): Promise<SecuredServers> {
  const [redis, nats, mysqlServer, mqttBroker, httpUpstream] = await Promise.all([
    startSecuredRedis(passwords.redis),
    startNatsServer({ user: 'reliability', pass: passwords.nats, jetstream: true }),
    startSecuredMariadb(passwords.mysql, 'reliability'),
    startMosquitto({ users: { reliability: passwords.mqtt } }),
    startSecuredHttpUpstream(passwords.http, 'reliability'),
  ]);
  return {
    redis,
    nats,
    mysql: mysqlServer,
    mqtt: mqttBroker,
    http: httpUpstream,
    async stop() {
      await Promise.all([
        redis.stop(),
        nats.stop(),
        mysqlServer.stop(),
        mqttBroker.stop(),
        httpUpstream.stop(),
      ]);
    },
  };
}

/** The services of the matrix. */
export function serviceKits(secured: SecuredServers, observer: ServerObserver): ServiceKit[] {
  return [
    {
      name: 'postgres',
      label: 'PostgreSQL',
      noticesLoss: 'connection',
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
      noticesLoss: 'connection',
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
      noticesLoss: 'connection',
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
      name: 'mysql',
      label: 'MySQL (MariaDB)',
      noticesLoss: 'connection',
      target: { host: '127.0.0.1', port: secured.mysql.port },
      plugin(at, { id, optional, wrongCredentials }) {
        return mysql({
          host: at.host,
          port: at.port,
          user: secured.mysql.user,
          password: wrongCredentials ? passwords.wrong : passwords.mysql,
          applicationName: id,
          connectTimeoutMs: 300,
          warmConnections: 2,
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_MYSQL_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_MYSQL_TIMEOUT',
        unknownHost: 'STARTUP_ERR_MYSQL_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_MYSQL_AUTH',
      },
      serverConnections: (id) => secured.mysql.connectionsNamed(id),
    },
    {
      name: 'mqtt',
      label: 'MQTT',
      noticesLoss: 'connection',
      target: addressOf(secured.mqtt.url),
      plugin(at, { id, optional, wrongCredentials }) {
        return mqtt({
          host: at.host,
          port: at.port,
          username: 'reliability',
          password: wrongCredentials ? passwords.wrong : passwords.mqtt,
          clientId: id,
          connectTimeoutMs: 300,
          reconnectPeriodMs: 50,
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_MQTT_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_MQTT_UNAVAILABLE',
        unknownHost: 'STARTUP_ERR_MQTT_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_MQTT_AUTH',
      },
      async serverConnections(id) {
        return (await secured.mqtt.clients()).filter((clientId) => clientId === id).length;
      },
    },
    {
      name: 'amqp',
      label: 'RabbitMQ',
      noticesLoss: 'connection',
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
    {
      name: 'http',
      label: 'HTTP',
      noticesLoss: 'request',
      target: { host: '127.0.0.1', port: secured.http.port },
      plugin(at, { id, optional, wrongCredentials }) {
        const password = wrongCredentials ? passwords.wrong : passwords.http;
        return httpService({
          name: 'http',
          url: `http://${secured.http.user}:${password}@${at.host}:${at.port}/`,
          headers: { [caseHeader]: id },
          connectTimeoutMs: 300,
          responseTimeoutMs: 300,
          optional: optional === true,
        });
      },
      codes: {
        down: 'STARTUP_ERR_HTTP_UNAVAILABLE',
        blackhole: 'STARTUP_ERR_HTTP_TIMEOUT',
        unknownHost: 'STARTUP_ERR_HTTP_HOST_NOT_FOUND',
        permanent: 'STARTUP_ERR_HTTP_AUTH',
      },
      serverConnections: async (id) => secured.http.connectionsOf(id),
    },
  ];
}
