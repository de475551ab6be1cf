import { type HealthDetails, StartupError } from '@startup/core';
import { bounded, redactError } from '@startup/core/plugin-kit';
import type { IConnackPacket, MqttClient } from 'mqtt';
import type { ResolvedMqttOptions } from './resolve-options.js';
import { pingRoundTrip } from './round-trip.js';

/**
 * A PINGREQ/PINGRESP round trip bounded by `signal`. Fails at once when the client is not connected
 * (reconnecting, ended). Returns `{ rttMs, clientId, protocolVersion, sessionPresent }` and, with MQTT 5, the
 * broker's CONNACK properties with plain values (`maximumQoS`, `retainAvailable`, `topicAliasMaximum`…).
 */
export async function checkHealth(
  client: MqttClient,
  connack: IConnackPacket | undefined,
  signal: AbortSignal,
  options: ResolvedMqttOptions,
): Promise<HealthDetails> {
  if (!client.connected) {
    throw unhealthy(client.reconnecting ? 'not connected; reconnecting' : 'not connected', options);
  }
  let rttMs: number;
  try {
    rttMs = await bounded(pingRoundTrip(client), signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const { message, cause } = redactError(error, options.secrets);
    throw unhealthy(`PINGREQ failed: ${message}`, options, cause);
  }
  const details: HealthDetails = {
    rttMs,
    clientId: options.clientId,
    protocolVersion: options.protocolVersion,
    sessionPresent: connack?.sessionPresent === true,
  };
  for (const [key, value] of Object.entries(connack?.properties ?? {})) {
    // Buffers (authentication data) and user properties stay out: details are plain values.
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
      details[key] = value;
    }
  }
  return details;
}

function unhealthy(what: string, options: ResolvedMqttOptions, cause?: unknown): StartupError {
  return new StartupError(
    'STARTUP_ERR_MQTT_UNAVAILABLE',
    `MQTT broker ${options.target} (plugin "${options.name}"): ${what}`,
    { plugin: options.name, cause },
  );
}
