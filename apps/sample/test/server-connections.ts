import { postgresConnections, postgresUrl, redisAdmin, redisClientsNamed, redisUrl } from '@startup/test-kit';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Connections PostgreSQL has open for `applicationName` (pg_stat_activity). */
export const pgConnections = (applicationName: string): Promise<number> =>
  postgresConnections(applicationName);

/** Connections Redis has open named `name` (CLIENT LIST). */
export async function redisClients(name: string): Promise<number> {
  const admin = redisAdmin();
  await admin.connect();
  try {
    return (await redisClientsNamed(admin, name)).length;
  } finally {
    admin.disconnect();
  }
}

/** Runs `fn` with a PostgreSQL client of the test database. */
export async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl, application_name: 'e2e-observer' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a Redis client. */
export async function withRedis<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redisUrl, { lazyConnect: true });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}
