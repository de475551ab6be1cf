import {
  checkBoolean,
  checkDuration,
  checkInteger,
  checkPassThrough,
  checkString,
  type PluginSettings,
} from '@startup/core/plugin-kit';
import type { PoolOptions } from 'mysql2/promise';
import type { StartupErrorContext } from './classify-error.js';
import { describeTarget, resolveConnection } from './connection-options.js';
import type { ManagedMysqlOption, MysqlPluginOptions } from './options.js';
import { mysqlDefaults, mysqlOptionSchema } from './schema.js';

/** Options after validation, every default filled in. */
export interface ResolvedMysqlOptions {
  name: string;
  /** What `mysql.createPool()` receives. */
  poolConfig: PoolOptions;
  warmConnections: number;
  /** Connections older than this are closed on release, in milliseconds; 0 never. */
  maxLifetimeMs: number;
  /** How long `close` waits for queries in flight before destroying their connections, in milliseconds. */
  closeGraceMs: number;
  retryUnresolvedHost: boolean;
  /** The server as shown in messages, without the password: `mysql://app@db:3306/app`. */
  target: string;
  /** Literal secrets (the password) to keep out of messages. */
  secrets: string[];
  /** The plugin settings given (`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`), checked. */
  settings: PluginSettings;
}

const managed: readonly ManagedMysqlOption[] = [
  'uri',
  'host',
  'port',
  'socketPath',
  'database',
  'user',
  'password',
  'password1',
  'password2',
  'password3',
  'connectionLimit',
  'maxIdle',
  'idleTimeout',
  'connectTimeout',
  'enableKeepAlive',
  'keepAliveInitialDelay',
  'connectAttributes',
  'waitForConnections',
  'pool',
  'stream',
];

const maxAttributeLength = 64;

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolveMysqlOptions(given: MysqlPluginOptions<string> = {}): ResolvedMysqlOptions {
  const { options, name, at, settings } = mysqlOptionSchema.accept(given);

  const connection = resolveConnection(options, name);
  const max = checkInteger('max', options.max, mysqlDefaults.max, at);
  const warmConnections = checkInteger(
    'warmConnections',
    options.warmConnections,
    Math.min(mysqlDefaults.warmConnections, max),
    { ...at, min: 0, max },
  );
  const maxIdle = checkInteger('maxIdle', options.maxIdle, warmConnections, { ...at, min: 0, max });
  const connectTimeoutMs = checkDuration(
    'connectTimeoutMs',
    options.connectTimeoutMs,
    mysqlDefaults.connectTimeoutMs,
    { ...at, positive: true },
  );
  const idleTimeoutMs = checkDuration(
    'idleTimeoutMs',
    options.idleTimeoutMs,
    mysqlDefaults.idleTimeoutMs,
    at,
  );
  const maxLifetimeSeconds = checkInteger(
    'maxLifetimeSeconds',
    options.maxLifetimeSeconds,
    mysqlDefaults.maxLifetimeSeconds,
    { ...at, min: 0 },
  );
  const closeGraceMs = checkDuration('closeGraceMs', options.closeGraceMs, mysqlDefaults.closeGraceMs, at);
  const keepAlive = checkBoolean('keepAlive', options.keepAlive, mysqlDefaults.keepAlive, at);
  const keepAliveInitialDelayMs = checkDuration(
    'keepAliveInitialDelayMs',
    options.keepAliveInitialDelayMs,
    mysqlDefaults.keepAliveInitialDelayMs,
    at,
  );
  const applicationName = checkString(
    'applicationName',
    options.applicationName,
    mysqlDefaults.applicationName,
    {
      ...at,
      pattern: new RegExp(`^[\\x20-\\x7e]{1,${maxAttributeLength}}$`),
      expected: `printable ASCII, 1 to ${maxAttributeLength} characters`,
    },
  );
  const retryUnresolvedHost = checkBoolean(
    'retryUnresolvedHost',
    options.retryUnresolvedHost,
    mysqlDefaults.retryUnresolvedHost,
    at,
  );

  const poolConfig: PoolOptions = {
    ...checkPassThrough<PoolOptions>('mysql2', options.mysql2, managed, at),
    ...connection,
    connectionLimit: max,
    maxIdle,
    idleTimeout: idleTimeoutMs,
    connectTimeout: connectTimeoutMs,
    enableKeepAlive: keepAlive,
    keepAliveInitialDelay: keepAliveInitialDelayMs,
    connectAttributes: { program_name: applicationName },
    waitForConnections: true,
  };
  return {
    name,
    poolConfig,
    warmConnections,
    maxLifetimeMs: maxLifetimeSeconds * 1_000,
    closeGraceMs,
    retryUnresolvedHost,
    target: describeTarget(connection),
    secrets: connection.password === undefined ? [] : [connection.password],
    settings,
  };
}

/** What `mysqlStartupError` needs to know of the options. Internal. */
export function errorContext(options: ResolvedMysqlOptions): StartupErrorContext {
  const { name: plugin, target, secrets, retryUnresolvedHost } = options;
  return { plugin, target, secrets, retryUnresolvedHost };
}
