import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { redisUrl } from './local-servers.js';
import { startServerProcess } from './server-process.js';

const adminName = 'startup-test-admin';

/**
 * A client of the Redis at `url` (defaults to {@link redisUrl}) for looking at it from outside
 * (`CLIENT LIST`, `ACL SETUSER`), named `startup-test-admin`. Connect it with `connect()`, end it with `quit()`.
 */
export function redisAdmin(url = redisUrl): Redis {
  const admin = new Redis(url, {
    connectionName: adminName,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  admin.on('error', () => {});
  return admin;
}

/** The `CLIENT LIST` lines of the connections named `name`. */
export async function redisClientsNamed(admin: Redis, name: string): Promise<string[]> {
  return (await clientList(admin)).filter((line) => line.includes(` name=${name} `));
}

/** A throw-away `redis-server` on a free port, requiring a password, without persistence. */
export interface SecuredRedis {
  readonly port: number;
  readonly password: string;
  /** `redis://:<password>@127.0.0.1:<port>`. */
  readonly url: string;
  /** Its working directory, removed by `stop()`. */
  readonly dir: string;
  /** A connected {@link redisAdmin} of this server, authenticated as the `default` user. */
  readonly admin: Redis;
  /** The `CLIENT LIST` lines of every connection but the admin's. */
  otherClients(): Promise<string[]>;
  /** Ends the admin, kills the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts `redis-server --requirepass <password>` (defaults to `secret`) and waits until it answers. */
export async function startSecuredRedis(password = 'secret'): Promise<SecuredRedis> {
  const port = await freePort();
  const url = `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const admin = redisAdmin(url);
  const server = await startServerProcess({
    command: process.env.STARTUP_TEST_REDIS_SERVER ?? 'redis-server',
    args: (dir) => [
      ...['--port', String(port), '--bind', '127.0.0.1', '--requirepass', password],
      ...['--dir', dir, '--save', '', '--appendonly', 'no'],
    ],
    // Ready once the admin is connected: no probe connection is left for `otherClients()` to see.
    // A failed connect ends the client (no retry strategy), and `connect()` may be called again.
    ready: () => admin.connect().then(() => true),
  });
  return {
    port,
    password,
    url,
    dir: server.dir,
    admin,
    async otherClients() {
      return (await clientList(admin)).filter((line) => !line.includes(` name=${adminName} `));
    },
    async stop() {
      await admin.quit().catch(() => admin.disconnect());
      await server.stop();
    },
  };
}

async function clientList(admin: Redis): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line.length > 0);
}
