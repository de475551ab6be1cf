import { abortable } from '@startup/core/plugin-kit';
import type { ChannelModel } from 'amqplib';
import { destroyConnection, socketOf } from './connection-socket.js';

/**
 * Closes gracefully (`connection.close`, answered by the broker once it released the connection's channels), then
 * waits for the socket to close; when `signal` aborts or the close fails, destroys the socket at once. Resolves when
 * no socket or timer of the connection is left. Never rejects.
 */
export async function closeConnection(model: ChannelModel, signal: AbortSignal): Promise<void> {
  const socket = socketOf(model);
  if (socket === undefined || socket.closed) return;
  if (!signal.aborted) {
    try {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await abortable(model.close(), signal);
      await abortable(closed, signal);
      return;
    } catch {
      // Aborted, or already closed: forced below.
    }
  }
  await destroyConnection(model);
}
