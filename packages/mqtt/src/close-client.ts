import { bounded } from '@startup/core/plugin-kit';
import type { MqttClient } from 'mqtt';
import { endNow } from './end-client.js';

/**
 * Closes gracefully when connected: MQTT.js waits for in-flight QoS 1/2 messages to be acknowledged, then sends
 * DISCONNECT (so the broker does not publish the will) and ends the socket. When `signal` aborts, or the client
 * is not connected (reconnecting), ends at once. Resolves when no socket or timer is left.
 */
export async function closeClient(client: MqttClient, signal: AbortSignal): Promise<void> {
  if (client.connected && !signal.aborted) {
    try {
      await bounded(client.endAsync(false), signal);
    } catch {
      // Aborted or failed: forced below.
    }
  }
  await endNow(client);
}
