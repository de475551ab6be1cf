/** The connections of a resource whose graceful close has begun (a pool's `end()` was called). */
export interface ClosingConnections {
  /** Settles once every connection is closed, gracefully or destroyed. */
  closed: Promise<void>;
  /** How many connections are still open. */
  open(): number;
  /** Destroys every connection still open, checked-out ones included; `closed` then settles. */
  destroy(): void;
}

/** How long {@link closeWithGrace} waits, and what cuts it short. */
export interface CloseGrace {
  /** How long the graceful close (queries in flight, goodbyes) may take, in milliseconds; 0 destroys at once. */
  graceMs: number;
  /** Destroys at once when it aborts (the close ran out of time). */
  signal?: AbortSignal;
  /** Called when the grace ran out with `open` connections left (never 0), just before they are destroyed. */
  onGraceOver?: (open: number) => void;
}

/**
 * Waits up to `graceMs` for `connections` to close gracefully, then destroys those still open: during an outage a
 * query sent into a network that stopped answering would otherwise hold the close until the query's own timeout,
 * or forever without one. Destroys at once when `signal` aborts. Resolves once every connection is closed; the
 * timer never outlives the call.
 */
export async function closeWithGrace(connections: ClosingConnections, grace: CloseGrace): Promise<void> {
  const { graceMs, signal, onGraceOver } = grace;
  if (signal?.aborted || graceMs === 0) {
    connections.destroy();
    return connections.closed;
  }
  const destroy = () => connections.destroy();
  const timer = setTimeout(() => {
    const open = connections.open();
    if (open > 0) onGraceOver?.(open);
    destroy();
  }, graceMs);
  signal?.addEventListener('abort', destroy, { once: true });
  try {
    await connections.closed;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', destroy);
  }
}
