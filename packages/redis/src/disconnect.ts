import type { Redis } from 'ioredis';

/**
 * Closes `client` at once and resolves when nothing of it is left: no socket, no reconnection timer,
 * no ioredis timer. Never rejects.
 *
 * ioredis' `disconnect()` ends the socket and arms a `disconnectTimeout` timer that only the socket's
 * `close` clears; a handshake cut short calls `disconnect()` once more, on the closed socket, arming a
 * timer nothing clears. So the socket is destroyed at once, the plugin sets `disconnectTimeout` to 0,
 * and the last such timer is let run out before resolving.
 */
export async function disconnectNow(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const socket = client.stream as (typeof client.stream & { destroyed?: boolean }) | undefined;
  // A reconnecting client never reaches 'end' on disconnect(): its status stays 'reconnecting'.
  const ended = client.status === 'reconnecting' ? undefined : nextEvent(client, 'end', 1_000);
  client.disconnect();
  if (socket !== undefined && socket.destroyed !== true) socket.destroy();
  await ended;
  await delay(Number(client.options.disconnectTimeout ?? 0) + 5);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves on `event`, or after `capMs` should ioredis never emit it. */
function nextEvent(client: Redis, event: string, capMs: number): Promise<void> {
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
