import pg from 'pg';
import { postgresUrl } from './local-servers.js';

/**
 * Connections the PostgreSQL server at `url` (defaults to {@link postgresUrl}) holds for
 * `applicationName`, read from `pg_stat_activity` by a separate short-lived client.
 */
export async function postgresConnections(applicationName: string, url = postgresUrl): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'startup-test-observer' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * {@link postgresConnections} once the server has noticed the closed sockets: a backend leaves
 * `pg_stat_activity` shortly after its client goes, so this polls until none is left or `withinMs`
 * (milliseconds, defaults to 3000) has passed, and returns the last count.
 */
export async function postgresConnectionsLeft(
  applicationName: string,
  withinMs = 3_000,
  url = postgresUrl,
): Promise<number> {
  const deadline = Date.now() + withinMs;
  let n = await postgresConnections(applicationName, url);
  while (n > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    n = await postgresConnections(applicationName, url);
  }
  return n;
}
