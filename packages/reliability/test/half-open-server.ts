import net from 'node:net';

/** A TCP server that greets every client with `greeting`, then never answers: a server stuck mid-handshake. */
export interface HalfOpenServer {
  readonly port: number;
  /** Clients that connected so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** The greeting of a NATS server: the client answers CONNECT + PING and waits for a PONG that never comes. */
export const natsInfo =
  'INFO {"server_id":"half-open","server_name":"half-open","version":"2.9.0","proto":1,"go":"go1.20","host":"127.0.0.1","port":4222,"headers":true,"max_payload":1048576}\r\n';

/** Starts a {@link HalfOpenServer} on a free loopback port. */
export async function startHalfOpenServer(greeting: string): Promise<HalfOpenServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.write(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get accepted() {
      return accepted;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
