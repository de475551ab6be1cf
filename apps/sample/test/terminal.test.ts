import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createFaultProxy } from '@startup/fault-proxy';
import { describe, expect, it } from 'vitest';
import { eventually, mainJs, repoRoot, tempDir, uniqueName } from './sample-process.js';

const password = 's3cret-pw';
const esc = String.fromCharCode(27);
const ansi = new RegExp(`${esc}\\[[0-9;]*[A-Za-z]`, 'g');

/**
 * The lines a terminal shows once `out` was played on it: moves up (`ESC[nA`), clears a line (`ESC[2K`) or
 * the rest of the screen (`ESC[0J`), carriage returns; colours are dropped. Long lines are not wrapped.
 */
function screenOf(out: string): string[] {
  const screen: string[] = [];
  let row = 0;
  let home = false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
  for (const token of out.match(/\u001b\[[0-9;]*[A-Za-z]|\r|\n|[^\u001b\r\n]+/g) ?? []) {
    if (token === '\n') row++;
    else if (token === '\r') home = true;
    else if (token.endsWith('A')) row = Math.max(0, row - Number(token.slice(2, -1) || 1));
    else if (token === `${esc}[2K`) screen[row] = '';
    else if (token === `${esc}[0J` || token === `${esc}[J`) screen.length = row;
    else if (!token.startsWith(esc)) {
      const line = screen[row] ?? '';
      screen[row] = home ? token + line.slice(token.length) : line + token;
      home = false;
    }
  }
  return Array.from(screen, (line) => line ?? '');
}

/** The app on a pseudo-terminal (util-linux `script`), as a developer's shell runs it: one output. */
function spawnInTerminal(env: Record<string, string>) {
  const child = spawn('script', ['-qfec', `${process.execPath} ${mainJs}`, '/dev/null'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: '0',
      SERVICE_NAME: uniqueName('tty'),
      HISTORY_STORE: `file:${join(tempDir(), 'history.jsonl')}`,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const plain = () => out.replace(ansi, '').replace(/\r/g, '');
  let done = false;
  void exited.then(() => (done = true));
  /** Signals the app itself (not `script`), once it logged its pid; SIGKILLs `script` otherwise. */
  const kill = (signal: NodeJS.Signals) => {
    if (done) return;
    const pid = plain().match(/"pid":(\d+)/)?.[1];
    if (pid) process.kill(Number(pid), signal);
    else child.kill('SIGKILL');
  };
  return { out: () => out, plain, exited, kill };
}

describe('in a terminal', () => {
  it('writes the log lines of a Ctrl-C during the start above the live progress, which stays whole', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    await proxy.refuse();
    const app = spawnInTerminal({ DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
    try {
      await eventually(() => /redis\s+ready in/.test(app.plain()), 20_000);
      app.kill('SIGINT');
      expect(await app.exited).toBe(0);
      const screen = screenOf(app.out());
      const shutdown = screen.findIndex((l) => l.includes('shutting down: readiness now fails'));
      expect(shutdown).toBeGreaterThan(screen.findIndex((l) => l.includes('API_KEY is not set')));
      expect(shutdown).toBeLessThan(screen.findIndex((l) => /^postgres\s+/.test(l)));
      expect(screen.filter((l) => /^redis\s+ready in/.test(l))).toHaveLength(1);
      expect(screen.filter((l) => /^start aborted/.test(l))).toHaveLength(1);
    } finally {
      app.kill('SIGKILL');
      await proxy.close();
    }
  });

  it('draws live per-plugin progress, then the waterfall, grade and recommendations', async () => {
    const app = spawnInTerminal({
      DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:5432/test`,
      STARTUP_GRADES: 'loopback',
    });
    const plain = app.plain;
    try {
      await eventually(() => plain().includes('Trend'), 20_000);
      const text = plain();
      expect(text).toMatch(/events-table\s+waiting for postgres/);
      expect(text).toMatch(/postgres\s+connecting \(attempt 1\)/);
      expect(text).toMatch(/nats\s+ready in [\d.]+ ms/);
      expect(text).toMatch(/start ready in [\d.]+ ms/);
      expect(text).toContain('critical path');
      expect(text).toMatch(/events-table \*?\s*·+█+/);
      expect(text).toMatch(/Grade [A-F] \((EXCELLENT|GOOD|ACCEPTABLE|POOR|UNACCEPTABLE)\)/);
      expect(text).toContain('parallel efficiency');
      expect(text).toContain('Recommendations');
      // ANSI colours only where a terminal can show them.
      expect(app.out()).toContain(`${esc}[32m`);
      // Log lines written while the progress was live sit above it: none lost, none torn, no stale line.
      const screen = screenOf(app.out());
      expect(screen.filter((l) => l.includes('API_KEY is not set'))).toHaveLength(1);
      expect(screen.filter((l) => l.includes('probes answering; starting services'))).toHaveLength(1);
      expect(screen.filter((l) => /connecting \(attempt \d+\)/.test(l))).toEqual([]);
      for (const plugin of ['postgres', 'redis', 'nats', 'events-table', 'events-stream']) {
        expect(screen.filter((l) => new RegExp(`^${plugin}\\s+ready in`).test(l))).toHaveLength(1);
      }
      const warning = screen.findIndex((l) => l.includes('API_KEY is not set'));
      expect(warning).toBeLessThan(screen.findIndex((l) => /^postgres\s+ready in/.test(l)));
    } finally {
      app.kill('SIGTERM');
    }
    expect(await app.exited).toBe(0);
    expect(app.out()).not.toContain(password);
  });
});
