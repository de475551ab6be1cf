import type { ConnectionOptions } from 'node:tls';
import type { RetryOptions, RetryPolicy } from '@startup/core';
import {
  checkBoolean,
  checkDuration,
  checkInteger,
  checkKeys,
  checkSecret,
  checkString,
  invalidOption,
  type PluginSettings,
  retryPolicy,
} from '@startup/core/plugin-kit';
import type { AmqpPluginOptions } from './options.js';
import { amqpDefaults, amqpOptionSchema } from './schema.js';

/** Options after validation, every default filled in. */
export interface ResolvedAmqpOptions {
  name: string;
  host: string;
  port: number;
  vhost: string;
  username: string;
  password: string;
  tls: ConnectionOptions | undefined;
  connectionName: string;
  connectTimeoutMs: number;
  heartbeatSeconds: number;
  frameMax: number;
  channelMax: number;
  /** After start: the backoff of reconnection, or `false`. */
  reconnect: RetryPolicy | false;
  retryUnresolvedHost: boolean;
  /** `amqp://host:port/vhost`, for messages: no credentials. */
  target: string;
  /** Literal secrets to redact from any text shown. */
  secrets: string[];
  /** The plugin settings given (`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`), checked. */
  settings: PluginSettings;
}

interface UrlParts {
  tls: boolean;
  host: string | undefined;
  port: number | undefined;
  vhost: string | undefined;
  username: string | undefined;
  password: string | undefined;
}

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolveAmqpOptions(given: AmqpPluginOptions<string> = {}): ResolvedAmqpOptions {
  const { options, name, at, settings } = amqpOptionSchema.accept(given);
  const fromUrl = options.url === undefined ? undefined : parseAmqpUrl(options.url, name);
  const tls = checkTls(options.tls, fromUrl?.tls ?? false, name);
  const host = checkString('host', options.host, fromUrl?.host ?? amqpDefaults.host, {
    plugin: name,
    pattern: /^[^\s/]+$/,
    expected: 'a host name or IP address',
  });
  const port = checkInteger('port', options.port, fromUrl?.port ?? (tls ? 5671 : amqpDefaults.port), {
    ...at,
    max: 65_535,
  });
  const vhost = checkString('vhost', options.vhost, fromUrl?.vhost ?? amqpDefaults.vhost, {
    plugin: name,
    pattern: /^[^\p{Cc}]{1,255}$/u,
    expected: 'a vhost name of 1 to 255 characters, no control characters',
  });
  const givenUser = checkSecret('username', options.username, at) ?? fromUrl?.username;
  const givenPassword = checkSecret('password', options.password, at) ?? fromUrl?.password;
  const username = givenUser ?? amqpDefaults.username;
  // amqplib's default: guest/guest only when neither is given.
  const password = givenPassword ?? (givenUser === undefined ? 'guest' : '');
  const connectionName = checkString('connectionName', options.connectionName, amqpDefaults.connectionName, {
    plugin: name,
    pattern: /^[^\p{Cc}]{1,255}$/u,
    expected: 'a name of 1 to 255 characters, no control characters',
  });
  return {
    name,
    host,
    port,
    vhost,
    username,
    password,
    tls,
    connectionName,
    connectTimeoutMs: checkDuration(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      amqpDefaults.connectTimeoutMs,
      {
        ...at,
        positive: true,
      },
    ),
    heartbeatSeconds: checkInteger(
      'heartbeatSeconds',
      options.heartbeatSeconds,
      amqpDefaults.heartbeatSeconds,
      {
        ...at,
        min: 0,
        max: 65_535,
      },
    ),
    frameMax: checkFrameMax(options.frameMax, name),
    channelMax: checkInteger('channelMax', options.channelMax, amqpDefaults.channelMax, {
      ...at,
      min: 0,
      max: 65_535,
    }),
    reconnect: checkReconnect(options.reconnect, name),
    retryUnresolvedHost: checkBoolean(
      'retryUnresolvedHost',
      options.retryUnresolvedHost,
      amqpDefaults.retryUnresolvedHost,
      at,
    ),
    target: `${tls ? 'amqps' : 'amqp'}://${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(vhost)}`,
    // An explicit password is a secret; the well-known default is not (redacting "guest" would mangle messages).
    secrets: givenPassword === undefined ? [] : [givenPassword],
    settings,
  };
}

/** Splits an `amqp://` or `amqps://` URL into its parts; throws `STARTUP_ERR_INVALID_OPTION` (password redacted). */
export function parseAmqpUrl(url: unknown, plugin: string): UrlParts {
  const expected = 'an amqp:// or amqps:// URL without query or fragment';
  if (typeof url !== 'string') throw invalidOption('url', expected, url, plugin);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption('url', expected, url, plugin);
  }
  if (
    (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') ||
    parsed.hostname === '' ||
    parsed.search !== '' ||
    parsed.hash !== ''
  ) {
    throw invalidOption('url', expected, url, plugin);
  }
  const path = parsed.pathname.slice(1);
  if (path.includes('/'))
    throw invalidOption('url', `${expected}; a "/" in the vhost is written %2F`, url, plugin);
  const decode = (part: string) => {
    try {
      return part === '' ? undefined : decodeURIComponent(part);
    } catch {
      throw invalidOption('url', `${expected}, percent-encoded`, url, plugin);
    }
  };
  return {
    tls: parsed.protocol === 'amqps:',
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? undefined : Number(parsed.port),
    vhost: decode(path),
    username: decode(parsed.username),
    password: decode(parsed.password),
  };
}

function checkTls(value: unknown, fromUrl: boolean, plugin: string): ConnectionOptions | undefined {
  if (value === undefined) return fromUrl ? {} : undefined;
  if (value === true) return {};
  if (value === false) return undefined;
  if (typeof value === 'object' && value !== null) return value as ConnectionOptions;
  throw invalidOption('tls', 'true, false or Node TLS options', value, plugin);
}

function checkFrameMax(value: unknown, plugin: string): number {
  const n = checkInteger('frameMax', value, amqpDefaults.frameMax, { plugin, min: 0, max: 0xffff_ffff });
  // AMQP 0-9-1's minimum frame size.
  if (n !== 0 && n < 4_096)
    throw invalidOption('frameMax', '0 or an integer from 4096 to 4294967295', value, plugin);
  return n;
}

/** The options of `amqp({ reconnect: { … } })`: the backoff, no limit (reconnection never gives up). */
const reconnectOptionKeys = [
  'initialDelayMs',
  'multiplier',
  'maxDelayMs',
  'jitter',
] as const satisfies readonly (keyof RetryOptions)[];

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
    { ...amqpDefaults.reconnect, ...(value as RetryOptions | undefined) },
    { field: 'reconnect', plugin },
  );
}
