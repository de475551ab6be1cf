import http from 'node:http';
import type net from 'node:net';

/** What the test upstream answers a request with. */
export type UpstreamHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A loopback `node:http` server standing in for an HTTP upstream, counting its connections server-side. */
export interface TestHttpUpstream {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The connections it holds open now; a client that closed its socket leaves a moment later. */
  readonly connections: number;
  /** Every connection accepted since it started. */
  readonly accepted: number;
  /** Every request received, in order: method, URL and headers. */
  readonly requests: readonly { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  /** Replaces how it answers. */
  answer(handler: UpstreamHandler): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a {@link TestHttpUpstream} on a free port of 127.0.0.1; it answers `200 ok` until told otherwise. */
export async function startHttpUpstream(
  handler: UpstreamHandler = (_, res) => res.end('ok'),
): Promise<TestHttpUpstream> {
  const sockets = new Set<net.Socket>();
  const requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  let current = handler;
  let accepted = 0;
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    current(request, response);
  });
  server.on('connection', (socket: net.Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return sockets.size;
    },
    get accepted() {
      return accepted;
    },
    requests,
    answer(next) {
      current = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
