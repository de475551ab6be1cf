import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  /** The server binary, e.g. `redis-server`. */
  command: string;
  /** Its arguments, given the temporary directory made for its files (and used as its working directory). */
  args(dir: string): string[];
  /** Resolves true once the server is ready for clients (false or a rejection: not yet); polled every 50 ms. */
  ready(): Promise<boolean>;
  /** How long it may take to get ready, in milliseconds; defaults to 5000. */
  readyWithinMs?: number;
}

/** A server process this test started. */
export interface ServerProcess {
  /** Its temporary directory, removed by {@link ServerProcess.stop}. */
  readonly dir: string;
  /** Terminates the server (SIGTERM, SIGKILL after 5 s), waits for it to exit and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Spawns a server in a fresh temporary directory and resolves once it is ready.
 * Rejects, leaving no process nor directory, if it exits first or is not ready in time.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'startup-test-'));
  const child = spawn(options.command, options.args(dir), { cwd: dir, stdio: 'ignore' });
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      failure ??= new Error(`${options.command} exited (${signal ?? code})`);
      resolve();
    });
    child.once('error', (error) => {
      failure ??= error;
      resolve();
    });
  });
  const stop = async () => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    clearTimeout(kill);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyWithinMs ?? 5_000);
  while (!(await options.ready().catch(() => false))) {
    if (failure !== undefined || Date.now() > deadline) {
      await stop();
      throw (
        failure ?? new Error(`${options.command} was not ready within ${options.readyWithinMs ?? 5_000} ms`)
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { dir, stop };
}
