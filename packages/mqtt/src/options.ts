import type { ConnectionOptions } from 'node:tls';
import type { PluginSettings } from '@startup/core/plugin-kit';
import type { IClientOptions } from 'mqtt';

/** MQTT.js options the plugin sets itself; pass them through the plugin's own options instead. */
export type ManagedMqttOption =
  | 'host'
  | 'hostname'
  | 'port'
  | 'protocol'
  | 'path'
  | 'servers'
  | 'username'
  | 'password'
  | 'clientId'
  | 'clean'
  | 'keepalive'
  | 'protocolVersion'
  | 'connectTimeout'
  | 'reconnectPeriod'
  | 'reconnectOnConnackError'
  | 'manualConnect'
  | 'ca'
  | 'cert'
  | 'key'
  | 'rejectUnauthorized'
  | 'servername';

/** Every {@link ManagedMqttOption}, for the check of `mqtt`. */
export const managedMqttOptions: readonly ManagedMqttOption[] = [
  'host',
  'hostname',
  'port',
  'protocol',
  'path',
  'servers',
  'username',
  'password',
  'clientId',
  'clean',
  'keepalive',
  'protocolVersion',
  'connectTimeout',
  'reconnectPeriod',
  'reconnectOnConnackError',
  'manualConnect',
  'ca',
  'cert',
  'key',
  'rejectUnauthorized',
  'servername',
];

/** Options of `mqtt()`. Every field is optional; see each default. */
export interface MqttPluginOptions<Name extends string = 'mqtt'> extends PluginSettings {
  /** Plugin name, the key of the client among the started resources. Defaults to `'mqtt'`. */
  name?: Name;
  /**
   * `mqtt://[user[:password]@]host[:port]` or `mqtts://…` for TLS. The fields below, when given, override the
   * URL's parts (e.g. a password from a secret store). Defaults to none.
   */
  url?: string;
  /** Host name or IP address of the broker. Defaults to `'127.0.0.1'`. */
  host?: string;
  /** TCP port. Defaults to `1883` (`8883` for `mqtts://`). */
  port?: number;
  /** User name sent in CONNECT. Defaults to none. */
  username?: string;
  /** Password sent in CONNECT; never shown in errors, logs or reports. Defaults to none. */
  password?: string;
  /** `true` or Node TLS options to connect with TLS. Defaults to `true` for `mqtts://`, otherwise off. */
  tls?: boolean | ConnectionOptions;
  /**
   * Client identifier, unique per connected client: the broker closes an older connection with the same one.
   * Defaults to `'startup-'` and 12 random hex digits, new for each `mqtt()`.
   */
  clientId?: string;
  /** MQTT protocol version: `4` (3.1.1) or `5`. Defaults to `4` (MQTT.js' default). */
  protocolVersion?: 4 | 5;
  /** Start a clean session (no subscriptions or queued messages kept from before). Defaults to `true`. */
  clean?: boolean;
  /** Keep-alive interval, in seconds (the protocol's unit); `0` turns it off. Defaults to `60`. */
  keepAliveSeconds?: number;
  /** Budget of one connection handshake (TCP, TLS, CONNECT, CONNACK), in milliseconds. Defaults to 3000. */
  connectTimeoutMs?: number;
  /** After start: wait between reconnection attempts, in milliseconds; `0` never reconnects. Defaults to 1000. */
  reconnectPeriodMs?: number;
  /** Retry a start whose host does not resolve (`ENOTFOUND`); `false` fails at once. Defaults to `true`. */
  retryUnresolvedHost?: boolean;
  /** Further MQTT.js options, passed as they are (e.g. `will`, `properties`, `queueQoSZero`). Defaults to none. */
  mqtt?: Omit<IClientOptions, ManagedMqttOption>;
}
