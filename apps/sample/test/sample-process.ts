import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built app, as `pnpm start` runs it. */
export const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The repository root: the app is spawned from there, as `pnpm start` does. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A name no other test run uses: the app's PostgreSQL application_name, Redis client name and key prefix. */
export function uniqueName(prefix: string): string {
  return `e2e-${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** A fresh temporary directory for a history file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sample-e2e-'));
}

/** A `fetch` response whose JSON body is untyped, for terse assertions. */
export type AppResponse = Omit<Response, 'json'> & { json(): Promise<any> };

/** The built app running as a child process. */
export interface SampleProcess {
  readonly child: ChildProcess;
  readonly serviceName: string;
  readonly historyFile: string;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Pino lines of stdout, parsed. */
  logs(): Record<string, unknown>[];
  /** Resolves with the HTTP port once the server listens (probes answer). */
  port(): Promise<number>;
  /** `fetch` against the app. */
  request(path: string, init?: RequestInit): Promise<AppResponse>;
  /** Resolves once `/health/ready` answers 200; rejects after `withinMs` or if the process exits. */
  ready(withinMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process exited. */
  exited(): Promise<number | string>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Spawns `node apps/sample/dist/main.js` from the repository root with a clean environment plus `env`,
 * on a free port (PORT=0), with a unique service name and its own history file.
 */
export function spawnSample(env: Record<string, string | undefined> = {}): SampleProcess {
  if (!existsSync(mainJs)) {
    throw new Error(
      `${mainJs} is missing: build first (npx pnpm@10.34.8 exec turbo run build --filter=@startup/sample...)`,
    );
  }
  const serviceName = env.SERVICE_NAME ?? uniqueName('app');
  const historyFile = join(tempDir(), 'history.jsonl');
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PORT: '0',
    SERVICE_NAME: serviceName,
    HISTORY_STORE: `file:${historyFile}`,
    LOG_LEVEL: 'info',
  };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete fullEnv[key];
    else fullEnv[key] = value;
  }
  const child = spawn(process.execPath, [mainJs], {
    cwd: repoRoot,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  // 'exit' can fire before the pipes are drained; wait for 'close' so the output is complete.
  const closed = new Promise<number | string>((resolve) => child.once('close', () => resolve(exit)));
  let done = false;
  void closed.then(() => (done = true));

  const logs = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  const port = async (): Promise<number> => {
    for (;;) {
      const line = logs().find((l) => l.msg === 'probes answering; starting services');
      if (line) return line.port as number;
      if (done) throw new Error(`the app exited before listening:\n${err}\n${out}`);
      await delay(5);
    }
  };

  const request = async (path: string, init?: RequestInit): Promise<AppResponse> =>
    fetch(`http://127.0.0.1:${await port()}${path}`, init);

  return {
    child,
    serviceName,
    historyFile,
    stdout: () => out,
    stderr: () => err,
    logs,
    port,
    request,
    async ready(withinMs = 20_000) {
      const deadline = Date.now() + withinMs;
      await port();
      for (;;) {
        if (done) throw new Error(`the app exited before it was ready:\n${err}`);
        const res = await request('/health/ready').catch(() => undefined);
        if (res?.status === 200) return;
        if (Date.now() > deadline) throw new Error(`not ready within ${withinMs} ms:\n${err}`);
        await delay(10);
      }
    },
    exited: () => closed,
    async stop(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
      return closed;
    },
  };
}

/** Waits `ms` milliseconds (polling only, never to assert timing). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { eventually } from '@startup/test-kit';
