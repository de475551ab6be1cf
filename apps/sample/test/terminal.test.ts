import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, mainJs, repoRoot, tempDir, uniqueName } from './sample-process.js';

const password = 's3cret-pw';
const esc = String.fromCharCode(27);
const ansi = new RegExp(`${esc}\\[[0-9;]*[A-Za-z]`, 'g');

// util-linux `script` runs the app on a pseudo-terminal, so it sees a TTY as a developer's shell would.
describe('in a terminal', () => {
  it('draws live per-plugin progress, then the waterfall, grade and recommendations', async () => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: '0',
      SERVICE_NAME: uniqueName('tty'),
      HISTORY_FILE: join(tempDir(), 'history.jsonl'),
      DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:5432/test`,
      STARTUP_GRADES: 'loopback',
    };
    const child = spawn('script', ['-qfec', `${process.execPath} ${mainJs}`, '/dev/null'], {
      cwd: repoRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const plain = () => out.replace(ansi, '').replace(/\r/g, '');
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
      expect(out).toContain(`${esc}[32m`);
    } finally {
      const pid = plain().match(/"pid":(\d+)/)?.[1];
      if (pid) process.kill(Number(pid), 'SIGTERM');
      else child.kill('SIGKILL');
    }
    expect(await exited).toBe(0);
    expect(out).not.toContain(password);
  });
});
