import net from 'node:net';
import { type Protocol, type RequestCounter, requestCounter } from './request-counters.js';

/** A TCP proxy in front of a real server that counts the requests clients send through it. */
export interface CountingProxy {
  host: string;
  port: number;
  /** Requests seen since the last {@link CountingProxy.reset}. */
  readonly requests: number;
  reset(): void;
  close(): Promise<void>;
}

/** Listens on a free loopback port and forwards to `target`, counting requests of `protocol`. */
export async function createCountingProxy(
  protocol: Protocol,
  target: { host: string; port: number },
): Promise<CountingProxy> {
  const counters = new Set<RequestCounter>();
  const sockets = new Set<net.Socket>();
  let base = 0;
  let closedCount = 0;
  const server = net.createServer((client) => {
    const counter = requestCounter(protocol);
    counters.add(counter);
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      if (counters.delete(counter)) closedCount += counter.count;
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      counter.feed(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const total = () => closedCount + [...counters].reduce((sum, c) => sum + c.count, 0);
  return {
    host: '127.0.0.1',
    port,
    get requests() {
      return total() - base;
    },
    reset() {
      base = total();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
