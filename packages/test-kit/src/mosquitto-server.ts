import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/** Options of {@link startMosquitto}. */
export interface MosquittoOptions {
  /** Users and their passwords; when given, anonymous clients are refused. Defaults to none (anonymous allowed). */
  users?: Readonly<Record<string, string>>;
}

/** A throw-away `mosquitto` on a free loopback port, whose own log says who is connected. */
export interface MosquittoServer {
  readonly port: number;
  /** `mqtt://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  /** Its working directory (configuration, password file, log), removed by `stop()`. */
  readonly dir: string;
  /** The client ids connected now, one entry per connection, as the broker logged them. */
  clients(): Promise<string[]>;
  /** TCP connections the broker holds now, with or without a CONNECT (from its log). */
  connections(): Promise<number>;
  /** Kills the broker and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts `mosquitto` (`STARTUP_TEST_MOSQUITTO` overrides the binary) with a configuration of its own: a listener on
 * a free port of 127.0.0.1, no persistence, a password file when `users` are given, and every connection logged to
 * a file, from which {@link MosquittoServer.clients} and {@link MosquittoServer.connections} are read.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoServer> {
  const port = await freePort();
  // The configuration is written before the process starts, so it lives in a directory of its own.
  const dir = await mkdtemp(join(tmpdir(), 'startup-test-mosquitto-'));
  const log = join(dir, 'mosquitto.log');
  let server: ServerProcess;
  try {
    await writeConfig(dir, port, options);
    server = await startServerProcess({
      command: process.env.STARTUP_TEST_MOSQUITTO ?? 'mosquitto',
      args: () => ['-c', join(dir, 'mosquitto.conf')],
      // Ready once it logged that it runs: a probe connection would show in the counts.
      ready: async () => (await readFile(log, 'utf8')).includes(' running'),
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const read = async () => connectionsOf(await readFile(log, 'utf8'));
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    clients: async () => (await read()).clients,
    connections: async () => (await read()).sockets,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function writeConfig(dir: string, port: number, options: MosquittoOptions): Promise<void> {
  const users = Object.entries(options.users ?? {});
  const lines = [
    `listener ${port} 127.0.0.1`,
    `allow_anonymous ${users.length === 0}`,
    'persistence false',
    `log_dest file ${join(dir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
    // Run as root, mosquitto would switch to the `mosquitto` user, who may not read this directory.
    `user ${userInfo().username}`,
  ];
  if (users.length > 0) {
    const file = join(dir, 'passwd');
    await writeFile(file, users.map(([user, password]) => `${user}:${passwordHash(password)}\n`).join(''), {
      mode: 0o600,
    });
    lines.push(`password_file ${file}`);
  }
  await writeFile(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
}

/** Mosquitto 2's `$7$` password hash: PBKDF2-SHA512, 101 iterations, as `mosquitto_passwd` writes it. */
function passwordHash(password: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512');
  return `$7$101$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const connected = /New client connected from \S+ as (\S+) \(/;
const takenOver = /Client (\S+) already connected, closing old connection/;
const gone =
  /(?:Client (\S+) (?:disconnected|closed its connection|has exceeded timeout)|Socket error on client (\S+), disconnecting)/;

/** Who is connected by the end of `log`: client ids (one per connection) and TCP connections. */
function connectionsOf(log: string): { clients: string[]; sockets: number } {
  const clients = new Map<string, number>();
  const add = (id: string, n: number) => {
    const next = (clients.get(id) ?? 0) + n;
    if (next > 0) clients.set(id, next);
    else clients.delete(id);
  };
  let sockets = 0;
  for (const line of log.split('\n')) {
    if (line.includes('New connection from ')) sockets++;
    const joined = connected.exec(line)?.[1];
    if (joined !== undefined) add(joined, 1);
    const replaced = takenOver.exec(line)?.[1];
    if (replaced !== undefined) {
      add(replaced, -1);
      sockets--;
    }
    const left = gone.exec(line);
    if (left !== null) {
      sockets--;
      const id = left[1] ?? left[2];
      if (id !== undefined && id !== '<unknown>') add(id, -1);
    }
  }
  return { clients: [...clients].flatMap(([id, n]) => Array<string>(n).fill(id)), sockets };
}
