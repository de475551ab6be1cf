import { spawn } from 'node:child_process';
import { track } from './child-processes.js';
import { freePort } from './servers.js';

/** A spawned HTTP app, ready. */
export interface SpawnedApp {
  port: number;
  /** From `spawn()` to the first 200 of the ready path, in milliseconds. */
  readyMs: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link spawnApp}. */
export interface SpawnOptions {
  /** Script run with the current `node`. */
  script: string;
  /** Extra arguments before the script (e.g. `--import tsx`). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Polled until it answers 200. Defaults to `/health/ready`. */
  readyPath?: string;
  /** Gives up after this long, in milliseconds. Defaults to 30000. */
  timeoutMs?: number;
}

/** Spawns `node script` with `PORT` set to a free port and polls it every 5 ms until the ready path answers 200. */
export async function spawnApp(options: SpawnOptions): Promise<SpawnedApp> {
  const port = await freePort();
  const began = performance.now();
  const child = track(
    spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 5000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const deadline = began + (options.timeoutMs ?? 30_000);
  const url = `http://127.0.0.1:${port}${options.readyPath ?? '/health/ready'}`;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) break;
    const status = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return { port, readyMs: performance.now() - began, stop };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await stop(1000);
  throw new Error(
    `${options.script} was not ready within ${options.timeoutMs ?? 30_000} ms (exit ${child.exitCode}); stderr: ${stderr.trim().slice(-600)}`,
  );
}
