import { bounded } from '@startup/core/plugin-kit';
import type { Redis } from 'ioredis';
import { disconnectNow } from './disconnect.js';

/**
 * Closes gracefully with QUIT when the client is ready (pending replies arrive first), otherwise at once;
 * when `signal` aborts or QUIT fails, disconnects at once. Resolves when no socket or timer is left.
 */
export async function closeClient(client: Redis, signal: AbortSignal): Promise<void> {
  if (client.status === 'ready' && !signal.aborted) {
    try {
      await bounded(client.quit(), signal);
      // QUIT is answered before the server closes the socket: wait for that close too.
      if ((client.status as string) !== 'end') await bounded(ended(client), signal);
    } catch {
      // Aborted or failed: forced below.
    }
  }
  await disconnectNow(client);
}

function ended(client: Redis): Promise<void> {
  return new Promise((resolve) => client.once('end', () => resolve()));
}
