import type { MqttClient } from 'mqtt';

/**
 * Ends `client` at once and resolves when nothing of it is left: no socket, no reconnection or CONNACK timer,
 * no keep-alive. Never rejects.
 *
 * MQTT.js' `end(true)` destroys the socket, but returns early when a graceful `end()` is already waiting for
 * in-flight messages, so the socket is destroyed here too. `end` is awaited (stores closed), at most a second:
 * MQTT.js never emits it when a graceful end still waits for acknowledgements that will not come.
 */
export async function endNow(client: MqttClient): Promise<void> {
  const stream = client.stream as (typeof client.stream & { destroyed?: boolean }) | undefined;
  if (client.disconnected && stream?.destroyed !== false) return;
  const ended = client.disconnected ? undefined : nextEvent(client, 'end', 1_000);
  client.end(true);
  if (stream !== undefined && stream.destroyed !== true) stream.destroy();
  await ended;
}

/** Resolves on `event`, or after `capMs` should MQTT.js never emit it. */
function nextEvent(client: MqttClient, event: 'end', capMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, capMs);
    client.once(event, done);
  });
}
