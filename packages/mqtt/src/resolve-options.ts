import { randomBytes } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import {
  checkBoolean,
  checkDuration,
  checkInteger,
  checkPassThrough,
  checkSecret,
  checkString,
  invalidOption,
  type PluginSettings,
} from '@startup/core/plugin-kit';
import type { IClientOptions } from 'mqtt';
import { parseBrokerUrl } from './broker-url.js';
import { type ManagedMqttOption, type MqttPluginOptions, managedMqttOptions } from './options.js';
import { mqttDefaults, mqttOptionSchema } from './schema.js';

/** Options after validation, every default filled in. */
export interface ResolvedMqttOptions {
  name: string;
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  tls: ConnectionOptions | undefined;
  clientId: string;
  protocolVersion: 4 | 5;
  clean: boolean;
  keepAliveSeconds: number;
  connectTimeoutMs: number;
  reconnectPeriodMs: number;
  retryUnresolvedHost: boolean;
  mqtt: Omit<IClientOptions, ManagedMqttOption>;
  /** `mqtt://host:port` or `mqtts://host:port`, for messages: no credentials. */
  target: string;
  /** Literal secrets to redact from any text shown. */
  secrets: string[];
  /** The plugin settings given (`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`), checked. */
  settings: PluginSettings;
}

/** The protocol's largest keep-alive: a two-byte number of seconds. */
const maxKeepAliveSeconds = 65_535;

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolveMqttOptions(given: MqttPluginOptions<string> = {}): ResolvedMqttOptions {
  const { options, name, at, settings } = mqttOptionSchema.accept(given);
  const fromUrl = options.url === undefined ? undefined : parseBrokerUrl(options.url, name);
  const tls = checkTls(options.tls, fromUrl?.tls ?? false, name);
  const host = checkString('host', options.host, fromUrl?.host ?? mqttDefaults.host, {
    plugin: name,
    pattern: /^[^\s/]+$/,
    expected: 'a host name or IP address',
  });
  const port = checkInteger('port', options.port, fromUrl?.port ?? (tls ? 8883 : mqttDefaults.port), {
    ...at,
    max: 65_535,
  });
  const username = checkSecret('username', options.username, { plugin: name }) ?? fromUrl?.username;
  const password = checkSecret('password', options.password, { plugin: name }) ?? fromUrl?.password;
  if (password !== undefined && username === undefined && options.protocolVersion !== 5) {
    throw invalidOption(
      'username',
      'a user name to go with "password" (MQTT 3.1.1 requires one)',
      undefined,
      name,
    );
  }
  const protocolVersion = options.protocolVersion ?? mqttDefaults.protocolVersion;
  if (protocolVersion !== 4 && protocolVersion !== 5) {
    throw invalidOption('protocolVersion', '4 (MQTT 3.1.1) or 5', protocolVersion, name);
  }
  const clientId = checkString('clientId', options.clientId, `startup-${randomBytes(6).toString('hex')}`, {
    plugin: name,
    pattern: /^[^\s]{1,256}$/,
    expected: 'at most 256 characters without spaces',
  });
  return {
    name,
    host,
    port,
    username,
    password,
    tls,
    clientId,
    protocolVersion,
    clean: checkBoolean('clean', options.clean, mqttDefaults.clean, { plugin: name }),
    keepAliveSeconds: checkInteger(
      'keepAliveSeconds',
      options.keepAliveSeconds,
      mqttDefaults.keepAliveSeconds,
      {
        ...at,
        min: 0,
        max: maxKeepAliveSeconds,
      },
    ),
    connectTimeoutMs: checkDuration(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      mqttDefaults.connectTimeoutMs,
      {
        ...at,
        positive: true,
      },
    ),
    reconnectPeriodMs: checkDuration(
      'reconnectPeriodMs',
      options.reconnectPeriodMs,
      mqttDefaults.reconnectPeriodMs,
      at,
    ),
    retryUnresolvedHost: checkBoolean(
      'retryUnresolvedHost',
      options.retryUnresolvedHost,
      mqttDefaults.retryUnresolvedHost,
      { plugin: name },
    ),
    mqtt: checkPassThrough<Omit<IClientOptions, ManagedMqttOption>>(
      'mqtt',
      options.mqtt,
      managedMqttOptions,
      at,
    ),
    target: `${tls ? 'mqtts' : 'mqtt'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
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
