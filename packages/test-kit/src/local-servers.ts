/**
 * The shared local servers the integration tests talk to, each overridden by its environment variable.
 * Tests never stop nor reconfigure them: faults go through a fault proxy or an extra server process.
 */
export const postgresUrl = process.env.STARTUP_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** See {@link postgresUrl}; `STARTUP_TEST_REDIS_URL` overrides it. */
export const redisUrl = process.env.STARTUP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** See {@link postgresUrl}; `STARTUP_TEST_NATS_URL` overrides it. */
export const natsUrl = process.env.STARTUP_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** See {@link postgresUrl}; `STARTUP_TEST_MQTT_URL` overrides it. */
export const mqttUrl = process.env.STARTUP_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const defaultPorts: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
  'nats:': 4222,
  'mqtt:': 1883,
};

/** Host and port of a server URL (a fault proxy's target); a missing port is the scheme's default. */
export function addressOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPorts[parsed.protocol]) };
}

/** What {@link urlWith} changes; each field left out is kept. */
export interface UrlChange {
  host?: string;
  port?: number;
  /** The path: a PostgreSQL database, a Redis database index. */
  database?: string;
  user?: string;
  password?: string;
}

/** `url` with another host, port, database, user or password (e.g. a fault proxy's host and port). */
export function urlWith(url: string, change: UrlChange): string {
  const parsed = new URL(url);
  if (change.host !== undefined) parsed.hostname = change.host;
  if (change.port !== undefined) parsed.port = String(change.port);
  if (change.database !== undefined) parsed.pathname = `/${change.database}`;
  if (change.user !== undefined) parsed.username = change.user;
  if (change.password !== undefined) parsed.password = change.password;
  return parsed.toString();
}
