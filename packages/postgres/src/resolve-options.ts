import {
  checkBoolean,
  checkDuration,
  checkInteger,
  checkPassThrough,
  invalidOption,
  type PluginSettings,
} from '@startup/core/plugin-kit';
import type pg from 'pg';
import type { StartupErrorContext } from './classify-error.js';
import { describeTarget, resolveConnection } from './connection-options.js';
import type { ManagedPostgresOption, PostgresPluginOptions } from './options.js';
import { postgresDefaults, postgresOptionSchema } from './schema.js';

/** Options after validation, every default filled in. */
export interface ResolvedPostgresOptions {
  name: string;
  /** What `new pg.Pool()` receives (the plugin adds its own `Client` class). */
  poolConfig: pg.PoolConfig;
  warmConnections: number;
  /** How long `close` waits for queries in flight before destroying their connections, in milliseconds. */
  closeGraceMs: number;
  retryUnresolvedHost: boolean;
  /** The server as shown in messages, password redacted: `postgres://app:****@db:5432/app`. */
  target: string;
  /** Literal secrets (a string password) to keep out of messages. */
  secrets: string[];
  /** The plugin settings given (`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`), checked. */
  settings: PluginSettings;
}

const managed: readonly ManagedPostgresOption[] = [
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
/** Added to `statementTimeoutMs` for the default `queryTimeoutMs`, in milliseconds. */
const queryTimeoutMarginMs = 5_000;

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolvePostgresOptions(given: PostgresPluginOptions<string> = {}): ResolvedPostgresOptions {
  const { options, name, at, settings } = postgresOptionSchema.accept(given);

  const connection = resolveConnection(options, name);
  const max = checkInteger('max', options.max, postgresDefaults.max, at);
  const warmConnections = checkInteger(
    'warmConnections',
    options.warmConnections,
    Math.min(postgresDefaults.warmConnections, max),
    { ...at, min: 0, max },
  );
  const min = checkInteger('min', options.min, warmConnections, { ...at, min: 0, max });
  if (options.connectTimeoutMs !== undefined && options.connectionTimeoutMs !== undefined) {
    throw invalidOption(
      'connectionTimeoutMs',
      'to be left out: it is the old name of connectTimeoutMs',
      '(both given)',
      name,
    );
  }
  const connectTimeoutMs =
    options.connectTimeoutMs === undefined && options.connectionTimeoutMs !== undefined
      ? checkDuration('connectionTimeoutMs', options.connectionTimeoutMs, 0, { ...at, positive: true })
      : checkDuration('connectTimeoutMs', options.connectTimeoutMs, postgresDefaults.connectTimeoutMs, {
          ...at,
          positive: true,
        });
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
    statementTimeoutMs > 0 ? statementTimeoutMs + queryTimeoutMarginMs : 0,
    at,
  );
  const closeGraceMs = checkDuration('closeGraceMs', options.closeGraceMs, postgresDefaults.closeGraceMs, at);
  const keepAlive = checkBoolean('keepAlive', options.keepAlive, postgresDefaults.keepAlive, at);
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
  const retryUnresolvedHost = checkUnresolvedHost(options, name);

  const poolConfig: pg.PoolConfig = {
    ...checkPassThrough<pg.PoolConfig>('pg', options.pg, managed, { plugin: name }),
    ...connection,
    max,
    min,
    connectionTimeoutMillis: connectTimeoutMs,
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
  return {
    name,
    poolConfig,
    warmConnections,
    closeGraceMs,
    retryUnresolvedHost,
    target: describeTarget(connection),
    secrets: typeof options.password === 'string' ? [options.password] : [],
    settings,
  };
}

/** What `postgresStartupError` needs to know of the options. Internal. */
export function errorContext(options: ResolvedPostgresOptions): StartupErrorContext {
  const { name: plugin, target, secrets, retryUnresolvedHost } = options;
  return { plugin, target, secrets, retryUnresolvedHost };
}

/** `retryUnresolvedHost`, or its deprecated form `unknownHost: 'retry' | 'fail'` (not both). */
function checkUnresolvedHost(options: PostgresPluginOptions<string>, name: string): boolean {
  const { unknownHost } = options;
  if (unknownHost === undefined) {
    return checkBoolean(
      'retryUnresolvedHost',
      options.retryUnresolvedHost,
      postgresDefaults.retryUnresolvedHost,
      {
        plugin: name,
      },
    );
  }
  if (options.retryUnresolvedHost !== undefined) {
    throw invalidOption(
      'unknownHost',
      'to be left out: it is the old form of retryUnresolvedHost',
      '(both given)',
      name,
    );
  }
  if (unknownHost !== 'retry' && unknownHost !== 'fail') {
    throw invalidOption('unknownHost', "'retry' or 'fail'", unknownHost, name);
  }
  return unknownHost === 'retry';
}
