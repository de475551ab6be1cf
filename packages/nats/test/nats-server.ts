import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shared local server (never stopped nor reconfigured by tests). */
export const natsUrl = process.env.STARTUP_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Host and port of {@link natsUrl}, for the fault proxy's target. */
export function natsTarget(): { host: string; port: number } {
  const url = new URL(natsUrl.includes('://') ? natsUrl : `nats://${natsUrl}`);
  return { host: url.hostname, port: Number(url.port || 4222) };
}

const binary = process.env.STARTUP_TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

/** An extra nats-server this test started on free ports, with its monitoring endpoint. */
export interface ExtraServer {
  readonly url: string;
  /** Client names of the live connections, from `/connz`. */
  connectionNames(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts `nats-server` on free loopback ports with `-m` monitoring; `args` adds `--user`, `-js`… */
export async function startExtraServer(
  args: { user?: string; pass?: string; jetstream?: boolean } = {},
): Promise<ExtraServer> {
  const [port, monitor] = [await freePort(), await freePort()];
  const storeDir = args.jetstream ? await mkdtemp(join(tmpdir(), 'startup-nats-')) : undefined;
  const argv = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)];
  if (args.user !== undefined) argv.push('--user', args.user, '--pass', args.pass ?? '');
  if (storeDir !== undefined) argv.push('-js', '-sd', storeDir);
  const child = spawn(binary, argv, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitReady(monitor, child);
  return {
    url: `nats://127.0.0.1:${port}`,
    async connectionNames() {
      const connz = (await getJson(monitor, '/connz')) as { connections?: Array<{ name?: string }> };
      return (connz.connections ?? []).map((c) => c.name ?? '');
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (storeDir !== undefined) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitReady(monitor: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    if (
      await getJson(monitor, '/varz').then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('nats-server did not start within 5 s');
}

/** GET over a connection that is closed afterwards (no keep-alive socket left for the handle checks). */
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

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
