import type { ConnectionOptions } from 'node:tls';
import type { RetryOptions } from '@startup/core';
import type { PluginSettings } from '@startup/core/plugin-kit';

/** Options of `amqp()`. Every field is optional; see each default. */
export interface AmqpPluginOptions<Name extends string = 'amqp'> extends PluginSettings {
  /** Plugin name, the key of the connection among the started resources. Defaults to `'amqp'`. */
  name?: Name;
  /**
   * `amqp://[user[:password]@]host[:port][/vhost]`, or `amqps://…` for TLS. The fields below, when given, override
   * the URL's parts (e.g. a password from a secret store). Defaults to none.
   */
  url?: string;
  /** Host name or IP address. Defaults to `'127.0.0.1'`. */
  host?: string;
  /** TCP port. Defaults to `5672`, or `5671` for `amqps://` and `tls`. */
  port?: number;
  /** Virtual host. Defaults to `'/'`. */
  vhost?: string;
  /** User name. Defaults to `'guest'` (amqplib's and RabbitMQ's; RabbitMQ accepts it from localhost only). */
  username?: string;
  /** Password; never shown in errors, logs or reports. Defaults to `'guest'` when no username is given, else none. */
  password?: string;
  /** `true` or Node TLS options to connect with TLS. Defaults to `true` for `amqps://`, otherwise off. */
  tls?: boolean | ConnectionOptions;
  /** Client property `connection_name`, shown by `rabbitmqctl list_connections` and the management UI. Defaults to `'startup'`. */
  connectionName?: string;
  /** Budget of one connection handshake (TCP, TLS, AMQP start, tune, open) and of the verifying channel, in milliseconds. Defaults to 3000. */
  connectTimeoutMs?: number;
  /** Heartbeat interval asked of the server, in seconds; the lower non-zero of the two wins, `0` disables. Defaults to 60. */
  heartbeatSeconds?: number;
  /** Largest frame asked of the server, in bytes (4096 to 2^32-1, `0`: the server's). Defaults to 131072. */
  frameMax?: number;
  /** Most channels open at once on the connection, asked of the server (1 to 65535, `0`: the server's). Defaults to 2047. */
  channelMax?: number;
  /**
   * After start: how the plugin reopens a lost connection, or `false` not to (it stays down and health fails).
   * Defaults to `{ initialDelayMs: 50, multiplier: 2, maxDelayMs: 2000, jitter: { proportional: 0.2 } }`, no limit on
   * attempts or time. Never used while starting (core retries).
   */
  reconnect?: Pick<RetryOptions, 'initialDelayMs' | 'multiplier' | 'maxDelayMs' | 'jitter'> | false;
  /** Retry a start whose host does not resolve (`ENOTFOUND`); `false` fails at once. Defaults to `true`. */
  retryUnresolvedHost?: boolean;
}
