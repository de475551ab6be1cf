import type { IClientOptions } from 'mqtt';
import type { ResolvedMqttOptions } from './resolve-options.js';

/**
 * MQTT.js options for the start: no reconnection (`reconnectPeriod: 0`), because retrying is core's job and a
 * client that reconnects by itself after a failed attempt would leave a timer and a socket behind; and a manual
 * connect, so every listener is in place before the first byte. `enterRuntimeMode` turns reconnection on once
 * the start is over.
 */
export function startClientOptions(options: ResolvedMqttOptions): IClientOptions {
  return {
    ...options.mqtt,
    // Node's TLS options, as MQTT.js hands them to tls.connect (its own types are narrower).
    ...(options.tls as IClientOptions | undefined),
    protocol: options.tls === undefined ? 'mqtt' : 'mqtts',
    host: options.host,
    port: options.port,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    clientId: options.clientId,
    protocolVersion: options.protocolVersion,
    clean: options.clean,
    keepalive: options.keepAliveSeconds,
    connectTimeout: options.connectTimeoutMs,
    reconnectPeriod: 0,
    reconnectOnConnackError: false,
    manualConnect: true,
  };
}
