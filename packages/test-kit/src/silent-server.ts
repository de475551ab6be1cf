import net from 'node:net';

/** A loopback TCP server that accepts connections and never sends a byte: a blackholed server. */
export interface SilentServer {
  readonly port: number;
  /** The connections it holds now; a client that closed its socket leaves a moment later. */
  readonly sockets: ReadonlySet<net.Socket>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a {@link SilentServer} on a free port of 127.0.0.1. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    sockets,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
