import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The real server the integration tests use; override with STARTUP_TEST_POSTGRES_URL. */
export const serverUrl = process.env.STARTUP_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Host and port of {@link serverUrl}, the target of a fault proxy. */
export const serverAddress = (() => {
  const url = new URL(serverUrl);
  return { host: url.hostname, port: Number(url.port || 5432) };
})();

/** {@link serverUrl} with another host, port, database or user (e.g. a fault proxy's). */
export function serverUrlWith(change: {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
}): string {
  const url = new URL(serverUrl);
  if (change.host !== undefined) url.hostname = change.host;
  if (change.port !== undefined) url.port = String(change.port);
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  if (change.user !== undefined) url.username = change.user;
  if (change.password !== undefined) url.password = change.password;
  return url.toString();
}

/** An `application_name` no other test uses, so its connections can be counted on the server. */
export function uniqueApplicationName(): string {
  return `startup-test-${randomUUID().slice(0, 8)}`;
}

/** Connections the server has for `applicationName`, asked from a separate client. */
export async function serverConnections(applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'startup-test-observer' });
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
 * Connections left for `applicationName` once the server has noticed the closed sockets: a backend
 * leaves pg_stat_activity shortly after its client goes, so this polls for up to `withinMs`.
 */
export async function connectionsLeft(applicationName: string, withinMs = 3_000): Promise<number> {
  const until = Date.now() + withinMs;
  let n = await serverConnections(applicationName);
  while (n > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    n = await serverConnections(applicationName);
  }
  return n;
}
