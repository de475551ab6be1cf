/**
 * Polls `check` every 10 ms until it returns true; rejects after `withinMs` (milliseconds, defaults to
 * 5000). For waiting on an event a test cannot subscribe to, never for asserting how fast it came.
 */
export async function eventually(check: () => boolean | Promise<boolean>, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
