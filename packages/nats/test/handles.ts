import { expect } from 'vitest';

/** Live TCP sockets and timers of this process: what would keep it alive. */
export function liveHandles(): { sockets: number; timers: number } {
  const info = process.getActiveResourcesInfo();
  return {
    sockets: info.filter((r) => r === 'TCPSocketWrap').length,
    timers: info.filter((r) => r === 'Timeout').length,
  };
}

/** Waits (about a second at most) until no more sockets and timers are live than at `baseline`, then asserts it. */
export async function expectNoHandlesLeft(baseline: { sockets: number; timers: number }): Promise<void> {
  const settled = () => {
    const now = liveHandles();
    return now.sockets <= baseline.sockets && now.timers <= baseline.timers;
  };
  for (let i = 0; i < 100 && !settled(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 50 && !settled(); i++) await new Promise((resolve) => setTimeout(resolve, 20).unref());
  const now = liveHandles();
  expect(now.sockets, 'TCP sockets left open').toBeLessThanOrEqual(baseline.sockets);
  expect(now.timers, 'timers left running').toBeLessThanOrEqual(baseline.timers);
}
