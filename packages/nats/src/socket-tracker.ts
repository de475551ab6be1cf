import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * The client sockets one NATS connection opened, so none outlives it.
 *
 * Why: nats.js 3.4 leaks the socket of a dial that timed out after TCP connected but before the server's
 * INFO (a blackholed server): `transport.close()` returns early for a transport that never finished
 * connecting, and `connect()` rejects with the socket still open, keeping the process alive
 * (nats-io/nats.js#64). The same happens to the last reconnection attempt when the client gives up or
 * is closed while dialling. nats.js exposes no handle on that socket, so it is found this way: Node
 * publishes every `net.connect()` socket on the `net.client.socket` diagnostics channel; a socket is
 * this tracker's when it is created in the async context of {@link SocketTracker.run} (the connect, the
 * dial loop and its reconnections) and dials the port of a NATS server ({@link SocketTrackerOptions}).
 * The port keeps out the sockets the application opens from a message callback (which runs in that
 * context too); it is read from the socket's connection attempt, since nothing else about the socket
 * says who made it once an application is bundled and minified (class and function names are gone).
 * A socket nats.js' TLS-first dial creates is not seen (it bypasses `net.connect()`).
 */
export interface SocketTracker {
  /** Runs `fn`; sockets nats.js opens in it (and in anything it starts) are tracked. */
  run<T>(fn: () => T): T;
  /** Sockets tracked and not yet closed. */
  readonly open: number;
  /** Destroys every tracked socket and, from now on, each new one as soon as it is created. */
  destroyAll(): void;
  /**
   * Destroys every tracked socket, stops observing, and resolves once each socket has closed (its
   * handle released, so it no longer keeps the process alive). Idempotent.
   */
  dispose(): Promise<void>;
}

/** Options of {@link createSocketTracker}. */
export interface SocketTrackerOptions {
  /** Whether `port` is the port of a server the connection may dial; asked as each socket starts connecting. */
  isServerPort(port: number): boolean;
}

const context = new AsyncLocalStorage<Tracker>();
const channel = 'net.client.socket';
let subscribers = 0;

/**
 * `net.connect()` publishes its socket as it starts connecting: a socket created in a tracker's context is
 * claimed there and then, and let go again if its connection attempt goes to a port that is no server's
 * (the 'connectionAttempt' event names the port; Node 22 and later no longer call the socket's own
 * `connect` property from `net.connect()`, so the event is where every supported version reports it).
 */
function onSocket(message: unknown): void {
  const tracker = context.getStore();
  const socket = (message as { socket?: Socket }).socket;
  // A callback that outlives its connection still runs in the context: a disposed tracker claims nothing.
  if (tracker === undefined || tracker.retired || socket === undefined) return;
  tracker.add(socket);
  socket.on('connectionAttempt', (_address: string, port: number) => tracker.attempted(socket, port));
}

class Tracker implements SocketTracker {
  private readonly sockets = new Set<Socket>();
  private destroying = false;
  private disposed: Promise<void> | undefined;

  constructor(private readonly options: SocketTrackerOptions) {
    if (subscribers++ === 0) diagnostics.subscribe(channel, onSocket);
  }

  /** True once disposed. */
  get retired(): boolean {
    return this.disposed !== undefined;
  }

  run<T>(fn: () => T): T {
    return context.run(this, fn);
  }

  get open(): number {
    this.prune();
    return this.sockets.size;
  }

  add(socket: Socket): void {
    this.prune();
    this.sockets.add(socket);
  }

  /** A claimed socket starts a connection attempt to `port`: let go when that is no server's port. */
  attempted(socket: Socket, port: number): void {
    if (!this.options.isServerPort(port)) this.sockets.delete(socket);
    // Node is inside its connect call here: destroying the socket now would pull its handle from under it.
    else if (this.destroying && this.sockets.has(socket)) process.nextTick(() => socket.destroy());
  }

  destroyAll(): void {
    this.destroying = true;
    for (const socket of this.sockets) socket.destroy();
  }

  dispose(): Promise<void> {
    if (this.disposed === undefined) {
      this.destroyAll();
      if (--subscribers === 0) diagnostics.unsubscribe(channel, onSocket);
      this.disposed = Promise.all([...this.sockets].map(whenClosed))
        .then(handlesReleased)
        .then(() => this.sockets.clear());
    }
    return this.disposed;
  }

  // nats.js removes every listener of its sockets, so a 'close' listener of ours may be gone: poll state.
  private prune(): void {
    for (const socket of this.sockets) if (socket.closed) this.sockets.delete(socket);
  }
}

/**
 * Resolves once `socket` is destroyed, or after about a second. Polled: nats.js may remove a 'close'
 * listener of ours with its own `removeAllListeners()`.
 */
async function whenClosed(socket: Socket): Promise<void> {
  for (let waited = 0; !socket.closed && waited < 1_000; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5).unref());
  }
}

/**
 * A destroyed socket's handle is released in libuv's close phase, after this turn's `setImmediate`
 * callbacks: two turns later no handle of it is left.
 */
async function handlesReleased(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** A new {@link SocketTracker}; call `dispose()` when the connection it watches is closed for good. */
export function createSocketTracker(options: SocketTrackerOptions): SocketTracker {
  return new Tracker(options);
}
