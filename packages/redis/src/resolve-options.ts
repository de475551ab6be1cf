import type { ConnectionOptions } from 'node:tls';
import type { RetryOptions, RetryPolicy } from '@startup/core';
import {
  checkBoolean,
  checkDuration,
  checkInteger,
  checkKeys,
  checkPassThrough,
  checkSecret,
  checkString,
  invalidOption,
  type PluginSettings,
  retryPolicy,
} from '@startup/core/plugin-kit';
import type { RedisOptions } from 'ioredis';
import { parseRedisUrl } from './connection-url.js';
import type { ManagedRedisOption, RedisPluginOptions } from './options.js';
import { redisDefaults, redisOptionSchema } from './schema.js';

/** Options after validation, every default filled in. */
export interface ResolvedRedisOptions {
  name: string;
  host: string;
  port: number;
  db: number;
  username: string | undefined;
  password: string | undefined;
  tls: ConnectionOptions | undefined;
  connectionName: string;
  connectTimeoutMs: number;
  /** `undefined` when `Infinity` was asked for. */
  commandTimeoutMs: number | undefined;
  keepAliveMs: number;
  /** `null` when `Infinity` was asked for (ioredis' "no limit"). */
  maxRetriesPerRequest: number | null;
  enableOfflineQueue: boolean;
  reconnect: RetryPolicy | false;
  retryUnresolvedHost: boolean;
  ioredis: Omit<RedisOptions, ManagedRedisOption>;
  /** `host:port/db`, for messages: no credentials. */
  target: string;
  /** Literal secrets to redact from any text shown. */
  secrets: string[];
  /** The plugin settings given (`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`), checked. */
  settings: PluginSettings;
}

/** The options of `redis({ reconnect: { … } })`: the backoff, no limit (reconnection never gives up). */
const reconnectOptionKeys = [
  'initialDelayMs',
  'multiplier',
  'maxDelayMs',
  'jitter',
] as const satisfies readonly (keyof RetryOptions)[];

const managed: readonly ManagedRedisOption[] = [
  'host',
  'port',
  'db',
  'username',
  'password',
  'tls',
  'path',
  'sentinels',
  'lazyConnect',
  'retryStrategy',
  'enableOfflineQueue',
  'connectTimeout',
  'commandTimeout',
  'keepAlive',
  'connectionName',
  'maxRetriesPerRequest',
];

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolveRedisOptions(given: RedisPluginOptions<string> = {}): ResolvedRedisOptions {
  const { options, name, at, settings } = redisOptionSchema.accept(given);
  const fromUrl = options.url === undefined ? undefined : parseRedisUrl(options.url, name);
  const host = checkString('host', options.host, fromUrl?.host ?? redisDefaults.host, {
    plugin: name,
    pattern: /^[^\s/]+$/,
    expected: 'a host name or IP address',
  });
  const port = checkInteger('port', options.port, fromUrl?.port ?? redisDefaults.port, {
    ...at,
    max: 65_535,
  });
  const db = checkInteger('db', options.db, fromUrl?.db ?? redisDefaults.db, { ...at, min: 0 });
  const username = checkSecret('username', options.username, { plugin: name }) ?? fromUrl?.username;
  const password = checkSecret('password', options.password, { plugin: name }) ?? fromUrl?.password;
  const connectionName = checkString('connectionName', options.connectionName, redisDefaults.connectionName, {
    plugin: name,
    pattern: /^[!-~]+$/,
    expected: 'printable ASCII without spaces (CLIENT SETNAME)',
  });
  const commandTimeoutMs = checkDuration(
    'commandTimeoutMs',
    options.commandTimeoutMs,
    redisDefaults.commandTimeoutMs,
    {
      ...at,
      positive: true,
      allowInfinity: true,
    },
  );
  const maxRetries = checkInteger(
    'maxRetriesPerRequest',
    options.maxRetriesPerRequest,
    redisDefaults.maxRetriesPerRequest,
    { ...at, min: 0, allowInfinity: true },
  );
  return {
    name,
    host,
    port,
    db,
    username,
    password,
    tls: checkTls(options.tls, fromUrl?.tls ?? false, name),
    connectionName,
    connectTimeoutMs: checkDuration(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      redisDefaults.connectTimeoutMs,
      {
        ...at,
        positive: true,
      },
    ),
    commandTimeoutMs: Number.isFinite(commandTimeoutMs) ? commandTimeoutMs : undefined,
    keepAliveMs: checkDuration('keepAliveMs', options.keepAliveMs, redisDefaults.keepAliveMs, at),
    maxRetriesPerRequest: Number.isFinite(maxRetries) ? maxRetries : null,
    enableOfflineQueue: checkBoolean(
      'enableOfflineQueue',
      options.enableOfflineQueue,
      redisDefaults.enableOfflineQueue,
      { plugin: name },
    ),
    reconnect: checkReconnect(options.reconnect, name),
    retryUnresolvedHost: checkBoolean(
      'retryUnresolvedHost',
      options.retryUnresolvedHost,
      redisDefaults.retryUnresolvedHost,
      { plugin: name },
    ),
    ioredis: checkPassThrough<Omit<RedisOptions, ManagedRedisOption>>(
      'ioredis',
      options.ioredis,
      managed,
      at,
    ),
    target: `${host.includes(':') ? `[${host}]` : host}:${port}/${db}`,
    secrets: password === undefined ? [] : [password],
    settings,
  };
}

function checkTls(value: unknown, fromUrl: boolean, plugin: string): ConnectionOptions | undefined {
  if (value === undefined) return fromUrl ? {} : undefined;
  if (value === true) return {};
  if (value === false) return undefined;
  if (typeof value === 'object' && value !== null) return value as ConnectionOptions;
  throw invalidOption('tls', 'true, false or Node TLS options', value, plugin);
}

function checkReconnect(value: unknown, plugin: string): RetryPolicy | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw invalidOption(
      'reconnect',
      'false or { initialDelayMs, multiplier, maxDelayMs, jitter }',
      value,
      plugin,
    );
  }
  if (value !== undefined) checkKeys(value, reconnectOptionKeys, plugin, 'reconnect');
  return retryPolicy(
    { ...redisDefaults.reconnect, ...(value as RetryOptions | undefined) },
    { field: 'reconnect', plugin },
  );
}
