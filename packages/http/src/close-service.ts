import type { Upstream } from './upstream.js';

/**
 * Closes the upstream's sockets: requests in flight finish first; when `signal` aborts, every socket is
 * destroyed at once. Resolves once no socket is left.
 */
export async function closeService(service: Upstream, signal: AbortSignal): Promise<void> {
  await service.close(signal);
}
