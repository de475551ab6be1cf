import { Redis } from 'ioredis';
import pg from 'pg';

const databaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** Connections PostgreSQL has open for `applicationName` (pg_stat_activity). */
export async function pgConnections(applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'e2e-observer' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** Connections Redis has open named `name` (CLIENT LIST). */
export async function redisClients(name: string): Promise<number> {
  const client = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    connectionName: 'e2e-observer',
  });
  await client.connect();
  try {
    const list = (await client.client('LIST')) as string;
    return list.split('\n').filter((line) => line.split(' ').includes(`name=${name}`)).length;
  } finally {
    client.disconnect();
  }
}

/** Runs `fn` with a PostgreSQL client of the test database. */
export async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'e2e-observer' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a Redis client. */
export async function withRedis<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}
