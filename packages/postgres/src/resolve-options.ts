import {
  checkDuration,
  checkInteger,
  checkKeys,
  checkPassThrough,
  invalidOption,
} from '@startup/core/plugin-kit';
import type pg from 'pg';
import { describeTarget, resolveConnection } from './connection-options.js';
import { postgresOptionKeys } from './known-options.js';
import { type ManagedPgField, type PostgresOptions, postgresDefaults } from './options.js';

/** {@link PostgresOptions} checked, with every default filled in. Internal. */
export interface ResolvedOptions {
  name: string;
  /** What `new pg.Pool()` receives (the plugin adds its own `Client` class). */
  poolConfig: pg.PoolConfig;
  warmConnections: number;
  unknownHost: 'retry' | 'fail';
  /** The server as shown in messages, password redacted: `postgres://app:****@db:5432/app`. */
  target: string;
}

const managed: readonly ManagedPgField[] = [
  'connectionString',
  'host',
  'port',
  'database',
  'user',
  'password',
  'max',
  'min',
  'connectionTimeoutMillis',
  'idleTimeoutMillis',
  'maxLifetimeSeconds',
  'statement_timeout',
  'query_timeout',
  'keepAlive',
  'keepAliveInitialDelayMillis',
  'application_name',
  'allowExitOnIdle',
  'Client',
];

const maxIdentifierBytes = 63;

/** Validates `options` before anything connects; throws `STARTUP_ERR_INVALID_OPTION` naming the field. */
export function resolveOptions(options: PostgresOptions<string> = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const name = options.name ?? postgresDefaults.name;
  if (typeof name !== 'string' || name.length === 0) throw invalidOption('name', 'a non-empty string', name);
  checkKeys(options, postgresOptionKeys, name);
  const at = { plugin: name };

  const connection = resolveConnection(options, name);
  const max = checkInteger('max', options.max, postgresDefaults.max, at);
  const warmConnections = checkInteger(
    'warmConnections',
    options.warmConnections,
    Math.min(postgresDefaults.warmConnections, max),
    { ...at, min: 0, max },
  );
  const min = checkInteger('min', options.min, warmConnections, { ...at, min: 0, max });
  const connectionTimeoutMs = checkDuration(
    'connectionTimeoutMs',
    options.connectionTimeoutMs,
    postgresDefaults.connectionTimeoutMs,
    { ...at, positive: true },
  );
  const idleTimeoutMs = checkDuration(
    'idleTimeoutMs',
    options.idleTimeoutMs,
    postgresDefaults.idleTimeoutMs,
    at,
  );
  const maxLifetimeSeconds = checkInteger(
    'maxLifetimeSeconds',
    options.maxLifetimeSeconds,
    postgresDefaults.maxLifetimeSeconds,
    { ...at, min: 0 },
  );
  const statementTimeoutMs = checkInteger(
    'statementTimeoutMs',
    options.statementTimeoutMs,
    postgresDefaults.statementTimeoutMs,
    { ...at, min: 0 },
  );
  const queryTimeoutMs = checkDuration(
    'queryTimeoutMs',
    options.queryTimeoutMs,
    statementTimeoutMs > 0 ? statementTimeoutMs + postgresDefaults.queryTimeoutMarginMs : 0,
    at,
  );
  const keepAlive = options.keepAlive ?? postgresDefaults.keepAlive;
  if (typeof keepAlive !== 'boolean') throw invalidOption('keepAlive', 'a boolean', keepAlive, name);
  const keepAliveInitialDelayMs = checkDuration(
    'keepAliveInitialDelayMs',
    options.keepAliveInitialDelayMs,
    postgresDefaults.keepAliveInitialDelayMs,
    at,
  );
  const applicationName = options.applicationName ?? postgresDefaults.applicationName;
  if (
    typeof applicationName !== 'string' ||
    applicationName.length === 0 ||
    Buffer.byteLength(applicationName) > maxIdentifierBytes
  ) {
    throw invalidOption(
      'applicationName',
      `a non-empty string of at most ${maxIdentifierBytes} bytes`,
      applicationName,
      name,
    );
  }
  const unknownHost = options.unknownHost ?? postgresDefaults.unknownHost;
  if (unknownHost !== 'retry' && unknownHost !== 'fail') {
    throw invalidOption('unknownHost', "'retry' or 'fail'", unknownHost, name);
  }

  const poolConfig: pg.PoolConfig = {
    ...checkPassThrough<pg.PoolConfig>('pg', options.pg, managed, { plugin: name }),
    ...connection,
    max,
    min,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: idleTimeoutMs,
    maxLifetimeSeconds,
    statement_timeout: statementTimeoutMs === 0 ? false : statementTimeoutMs,
    keepAlive,
    keepAliveInitialDelayMillis: keepAliveInitialDelayMs,
    application_name: applicationName,
    // A service is kept alive by its server; the pool must not decide when the process may exit.
    allowExitOnIdle: false,
  };
  if (queryTimeoutMs > 0) poolConfig.query_timeout = queryTimeoutMs;
  return { name, poolConfig, warmConnections, unknownHost, target: describeTarget(connection) };
}
