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

describe('after shutdown', () => {
  it('lets the process exit by itself: no timer, listener or handle keeps it alive', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(killer);
    expect(out.trim().split('\n')).toEqual(['STARTUP_ERR_SHUTDOWN', 'stopped']);
    expect(code).toBe(0);
  });
});
