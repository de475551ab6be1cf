import net from 'node:net';

/** What the proxy decides, per chunk, for a live connection. */
export interface ConnectionPolicy {
  /** True while the proxy is blackholed: chunks are dropped in both directions. */
  readonly blackholed: () => boolean;
  /** Delay added to every chunk, in milliseconds; 0 means none. */
  readonly latencyMs: () => number;
}

/** One direction of a connection: an ordered queue so latency never reorders chunks or the end. */
class Lane {
  private lastDueAt = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly to: () => net.Socket | undefined,
    private readonly policy: ConnectionPolicy,
  ) {}

  push(chunk: Buffer | null): void {
    if (chunk !== null && this.policy.blackholed()) return;
    const ms = this.policy.latencyMs();
    const now = Date.now();
    if (ms <= 0 && this.timers.size === 0) {
      this.deliver(chunk);
      return;
    }
    this.lastDueAt = Math.max(now + ms, this.lastDueAt);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.deliver(chunk);
    }, this.lastDueAt - now);
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private deliver(chunk: Buffer | null): void {
    const socket = this.to();
    if (!socket || socket.destroyed) return;
    if (chunk === null) socket.end();
    else socket.write(chunk);
  }
}

/**
 * A client socket accepted by the proxy and, unless the proxy was blackholed when it was accepted,
 * its upstream socket to the target. Closing either side closes both.
 */
export class Connection {
  private upstream: net.Socket | undefined;
  private readonly toUpstream: Lane;
  private readonly toClient: Lane;
  private closed = false;

  constructor(
    private readonly client: net.Socket,
    policy: ConnectionPolicy,
    private readonly onClose: (connection: Connection) => void,
  ) {
    this.toUpstream = new Lane(() => this.upstream, policy);
    this.toClient = new Lane(() => this.client, policy);
    client.on('error', () => this.destroy());
    client.on('close', () => this.destroy());
  }

  /** Opens the upstream socket and pipes both ways. */
  connect(target: { host: string; port: number }): void {
    const upstream = net.connect(target);
    this.upstream = upstream;
    upstream.on('error', () => this.destroy());
    upstream.on('close', () => this.destroy());
    upstream.on('data', (chunk: Buffer) => this.toClient.push(chunk));
    upstream.on('end', () => this.toClient.push(null));
    this.client.on('data', (chunk: Buffer) => this.toUpstream.push(chunk));
    this.client.on('end', () => this.toUpstream.push(null));
  }

  /** Holds the client socket open and reads nothing from it: the server "never answers". */
  hold(): void {
    this.client.on('data', () => {});
  }

  /** Closes both sockets at once (the server "died"). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.toUpstream.clear();
    this.toClient.clear();
    this.client.destroy();
    this.upstream?.destroy();
    this.onClose(this);
  }

  /** Resolves once both sockets have emitted `close`. */
  async settled(): Promise<void> {
    await Promise.all([whenClosed(this.client), this.upstream ? whenClosed(this.upstream) : undefined]);
  }
}

function whenClosed(socket: net.Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
