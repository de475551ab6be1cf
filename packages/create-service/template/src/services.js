// The plugins of the service, in one list. The runner of @startup/core starts them in parallel, each retried
// with backoff, and stops them in reverse order. Each connector checks its options here, before anything
// connects: a bad one is reported under the variable it came from.
// @if amqp
import { amqp } from '@startup/amqp';
// @end
// @if http
import { httpService } from '@startup/http';
// @end
// @if mqtt
import { mqtt } from '@startup/mqtt';
// @end
// @if mysql
import { mysql } from '@startup/mysql';
// @end
// @if nats
import { nats } from '@startup/nats';
// @end
// @if postgres
import { postgres } from '@startup/postgres';
// @end
// @if redis
import { redis } from '@startup/redis';
// @end
import { ConfigError } from './config.js';

/** The plugins, configured from `config`; throws one ConfigError naming every variable a connector refused. */
export function createServices(config) {
  const problems = [];
  // @if connectors
  const named = (variable, build) => {
    try {
      return build();
    } catch (error) {
      problems.push(`${variable}: ${error.message}`);
      return undefined;
    }
  };
  // @end
  const services = [
    // @if postgres
    named('DATABASE_URL', () =>
      postgres({ url: config.databaseUrl, applicationName: config.serviceName, warmConnections: 2 }),
    ),
    // @end
    // @if redis
    named('REDIS_URL', () => redis({ url: config.redisUrl, connectionName: config.serviceName })),
    // @end
    // @if nats
    named('NATS_URL', () =>
      nats({ servers: config.natsUrl, connectionName: config.serviceName, jetstream: true }),
    ),
    // @end
    // @if mysql
    named('MYSQL_URL', () => mysql({ url: config.mysqlUrl, warmConnections: 2 })),
    // @end
    // @if amqp
    named('AMQP_URL', () => amqp({ url: config.amqpUrl, connectionName: config.serviceName })),
    // @end
    // @if mqtt
    named('MQTT_URL', () => mqtt({ url: config.mqttUrl })),
    // @end
    // @if http
    named('UPSTREAM_URL', () =>
      httpService({ name: 'upstream', url: config.upstreamUrl, healthPath: config.upstreamHealthPath }),
    ),
    // @end
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return services;
}
