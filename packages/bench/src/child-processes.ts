import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/** Tracks a child process so it is killed if the suite ends early (an error, the watchdog, Ctrl-C). */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills every tracked child still running (SIGKILL: the suite is ending). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}
