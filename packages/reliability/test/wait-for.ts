/**
 * Polls `check` every `intervalMs` until it returns true; rejects naming `what` after `withinMs`. For waiting on
 * an event or a state, never for asserting speed. Resolves with the time it took, in milliseconds.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  withinMs = 5_000,
  intervalMs = 20,
): Promise<number> {
  const began = performance.now();
  while (!(await check())) {
    if (performance.now() - began > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return performance.now() - began;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
