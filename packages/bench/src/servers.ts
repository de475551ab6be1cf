import net from 'node:net';

/** Where the real servers are: `DATABASE_URL`, `REDIS_URL`, `NATS_URL`, else the loopback defaults. */
export const servers = {
  postgres: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
};

/** Host and port of a server URL. */
export function endpoint(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const defaults: Record<string, number> = {
    'postgres:': 5432,
    'postgresql:': 5432,
    'redis:': 6379,
    'nats:': 4222,
  };
  return { host: parsed.hostname, port: Number(parsed.port || defaults[parsed.protocol]) };
}

/** The same URL pointing at another host and port (a fault proxy, a counting proxy). */
export function via(url: string, at: { host: string; port: number }): string {
  const parsed = new URL(url);
  parsed.hostname = at.host;
  parsed.port = String(at.port);
  return parsed.toString();
}

/** Names of the servers that do not accept a TCP connection within a second. */
export async function unreachableServers(): Promise<string[]> {
  const entries = Object.entries(servers);
  const reachable = await Promise.all(entries.map(([, url]) => accepts(endpoint(url))));
  return entries.filter((_, i) => !reachable[i]).map(([name]) => name);
}

function accepts(target: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(target);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
