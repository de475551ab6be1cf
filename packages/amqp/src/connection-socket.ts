import type { Duplex } from 'node:stream';
import type { ChannelModel } from 'amqplib';

/** The socket under an amqplib connection (amqplib keeps it as `connection.stream`). */
export function socketOf(model: ChannelModel): Duplex | undefined {
  return (model.connection as unknown as { stream?: Duplex }).stream;
}

/**
 * Ends the connection at once and resolves once its socket is closed. Destroying the socket with an error is what
 * makes amqplib run its own close (heartbeat timer cleared, channels closed, `close` emitted); a bare `destroy()`
 * would leave the heartbeat timer running. Never rejects.
 */
export async function destroyConnection(model: ChannelModel): Promise<void> {
  // The error below is emitted on the model: without a listener it would be thrown.
  model.on('error', ignore);
  const socket = socketOf(model);
  if (socket === undefined || socket.closed) return;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.destroy(new Error('connection closed by the plugin'));
  await closed;
}

function ignore(): void {}
