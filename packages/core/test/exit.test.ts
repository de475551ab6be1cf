import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// Retry waits, timeouts, breaker and health all ran; after stop() nothing may keep the process alive.
const script = `
import { createStartup, handleSignals } from ${JSON.stringify(dist)};
let calls = 0;
const app = createStartup([
  { name: 'flaky', retry: { initialDelayMs: 5, maxDelayMs: 10 }, init: () => { if (++calls < 3) throw new Error('not yet'); return 'r'; },
    healthCheck: () => new Promise((r) => setTimeout(r, 5)), close: () => new Promise((r) => setTimeout(r, 5)) },
  { name: 'slow-close', dependsOn: ['flaky'], init: () => 's', close: () => new Promise(() => {}), timeouts: { closeMs: 50 } },
], { deadlineMs: 60_000, health: { cacheMs: 60_000 } });
handleSignals(app);
await app.start();
await app.health();
await app.stop().catch((e) => console.log(e.code));
console.log('stopped');
`;

// Nothing here holds a handle of its own: only the library can keep the process alive until each await settles.
const awaited = `
import { createStartup, retry, sleep } from ${JSON.stringify(dist)};
let calls = 0;
await retry(async () => { if (++calls < 3) throw new Error('not yet'); }, { initialDelayMs: 20, jitter: 'none' });
console.log('retried', calls);
await sleep(20);
console.log('slept');
const app = createStartup([{ name: 'stuck', init: () => 'r', healthCheck: () => new Promise(() => {}), timeouts: { healthMs: 30 } }]);
await app.start();
console.log('health', (await app.health()).status);
await app.stop();
console.log('stopped');
`;

async function run(code: string): Promise<{ lines: string[]; exit: number | null }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(killer);
  return { lines: out.trim().split('\n'), exit };
}

describe('while something is awaited', () => {
  it('keeps the process alive through a standalone retry, a sleep and a health check that times out', async () => {
    expect(await run(awaited)).toEqual({
      lines: ['retried 3', 'slept', 'health fail', 'stopped'],
      exit: 0,
    });
  });
});

describe('after shutdown', () => {
  it('lets the process exit by itself: no timer, listener or handle keeps it alive', async () => {
    expect(await run(script)).toEqual({ lines: ['STARTUP_ERR_SHUTDOWN', 'stopped'], exit: 0 });
  });
});
