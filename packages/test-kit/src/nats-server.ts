import http from 'node:http';
import { freePort } from './free-port.js';
import { startServerProcess } from './server-process.js';

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** Require this user (with {@link NatsServerOptions.pass}); defaults to no authentication. */
  user?: string;
  pass?: string;
  /** Enable JetStream, storing in the server's temporary directory; defaults to false. */
  jetstream?: boolean;
}

/** A throw-away `nats-server` on free loopback ports, with its monitoring endpoint. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  /** Its working directory (the JetStream store), removed by `stop()`. */
  readonly dir: string;
  /** Client names of the live connections, from `/connz`. */
  connectionNames(): Promise<string[]>;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts `nats-server` (`STARTUP_TEST_NATS_SERVER` overrides the binary) and waits until it accepts clients. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const port = await freePort();
  const monitor = await freePort();
  const server = await startServerProcess({
    command: process.env.STARTUP_TEST_NATS_SERVER ?? '/usr/sbin/nats-server',
    args: (dir) => [
      ...['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)],
      ...(options.user === undefined ? [] : ['--user', options.user, '--pass', options.pass ?? '']),
      ...(options.jetstream === true ? ['-js', '-sd', dir] : []),
    ],
    // /healthz answers ok once clients can connect (and JetStream is up); probing the client port
    // instead would leave a nameless connection in /connz for a moment.
    ready: async () => ((await getJson(monitor, '/healthz')) as { status?: string }).status === 'ok',
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    dir: server.dir,
    async connectionNames() {
      const connz = (await getJson(monitor, '/connz')) as { connections?: Array<{ name?: string }> };
      return (connz.connections ?? []).map((c) => c.name ?? '');
    },
    stop: server.stop,
  };
}

/** GET over a connection closed afterwards (no keep-alive socket left for the handle checks). */
function getJson(port: number, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
  });
}
