import { createBulkhead, describeError, type ResourcesOf } from '@startup/core';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import { type Config, ConfigError } from './config.js';
import { eventsStream } from './events-stream.js';
import { eventsTable } from './events-table.js';

/**
 * Every plugin of the sample, in one list: the three connectors and the two custom plugins that depend
 * on them. The runner starts postgres, redis and nats in parallel, then each custom plugin as soon as
 * its connector is ready. The connectors validate their options here, before anything connects; each
 * problem is reported under the variable it came from, all of them in one {@link ConfigError}. With
 * `STARTUP_BULKHEAD_MAX`, the three connectors share one bulkhead: no more than that many handshake at once.
 */
export function createServices(config: Config) {
  const name = config.serviceName;
  const shared =
    config.bulkheadMax === undefined
      ? {}
      : { bulkhead: createBulkhead({ maxConcurrent: config.bulkheadMax, name: 'connectors' }) };
  const problems: string[] = [];
  const named = <T>(variable: string, build: () => T): T => {
    try {
      return build();
    } catch (error) {
      problems.push(`${variable}: ${describeError(error).message}`);
      return undefined as T;
    }
  };
  const services = [
    named('DATABASE_URL', () =>
      postgres({
        url: config.databaseUrl,
        applicationName: name,
        max: config.pgPoolMax,
        warmConnections: config.pgWarmConnections,
        ...shared,
      }),
    ),
    named('REDIS_URL', () => redis({ url: config.redisUrl, connectionName: name, ...shared })),
    named('NATS_URL', () =>
      nats({ servers: config.natsUrl, connectionName: name, jetstream: true, ...shared }),
    ),
    eventsTable(),
    eventsStream(),
  ] as const;
  if (problems.length > 0) throw new ConfigError(problems);
  return services;
}

/** The plugins of the sample. */
export type Services = ReturnType<typeof createServices>;

/** What handlers reach once the start completed: `postgres` (pg.Pool), `redis`, `nats`, `events-table`… */
export type Resources = ResourcesOf<Services>;
