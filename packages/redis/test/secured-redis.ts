import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/** A throw-away `redis-server` with a password, on a free port, for authentication failures. */
export interface SecuredRedis {
  port: number;
  password: string;
  /** A client authenticated as the `default` user, for ACL set-up and `CLIENT LIST`. */
  admin: Redis;
  /** Kills the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `redis-server --requirepass <password>` without persistence and waits until it answers. */
export async function startSecuredRedis(password = 'secret'): Promise<SecuredRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--requirepass',
      password,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const admin = new Redis({
    port,
    host: '127.0.0.1',
    password,
    connectionName: 'startup-test-admin',
    lazyConnect: true,
    retryStrategy: () => null,
  });
  admin.on('error', () => {});
  try {
    await waitUntilAnswering(admin, child);
  } catch (error) {
    admin.disconnect();
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    port,
    password,
    admin,
    async stop() {
      await admin.quit().catch(() => admin.disconnect());
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitUntilAnswering(admin: Redis, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    try {
      await admin.connect();
      return;
    } catch {
      admin.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('redis-server did not answer within 5 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Connections the server holds besides the admin's own. */
export async function otherConnections(server: SecuredRedis): Promise<string[]> {
  const list = (await server.admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line.length > 0 && !line.includes(' name=startup-test-admin '));
}
