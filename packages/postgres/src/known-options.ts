import type { PostgresOptions } from './options.js';

// An object rather than a list, so that the compiler reports an option added to (or removed from) the type.
const pluginOptions: { readonly [K in keyof PostgresOptions]-?: true } = {
  name: true,
  url: true,
  connectionString: true,
  host: true,
  port: true,
  database: true,
  user: true,
  password: true,
  max: true,
  min: true,
  warmConnections: true,
  connectionTimeoutMs: true,
  idleTimeoutMs: true,
  maxLifetimeSeconds: true,
  statementTimeoutMs: true,
  queryTimeoutMs: true,
  keepAlive: true,
  keepAliveInitialDelayMs: true,
  applicationName: true,
  unknownHost: true,
  pg: true,
  retry: true,
  breaker: true,
  timeouts: true,
  optional: true,
};

/** The options of `postgres()`. */
export const postgresOptionKeys: readonly string[] = Object.keys(pluginOptions);
