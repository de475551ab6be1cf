import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHistory } from './sample-starts.js';
import { checkWellFormed } from './xml-well-formed.js';

// End to end: the built `startup-monitor` binary (build it first: `cd packages/monitor && npx tsup`).
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let dir: string;

function run(args: string[], options: { env?: Record<string, string>; direct?: boolean } = {}) {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.STARTUP_HISTORY_FILE;
  Object.assign(env, options.env);
  const child = options.direct
    ? spawn(bin, args, { cwd: dir, env })
    : spawn(process.execPath, [bin, ...args], { cwd: dir, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build it with "cd packages/monitor && npx tsup"`);
  dir = await mkdtemp(join(tmpdir(), 'startup-monitor-bin-'));
  const history = sampleHistory();
  await writeFile(join(dir, '.startup-history.jsonl'), history.map((e) => `${JSON.stringify(e)}\n`).join(''));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the startup-monitor binary', () => {
  it('is an executable node script', async () => {
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(bin)).mode & 0o111).not.toBe(0);
    const { code, stdout } = await run(['--version'], { direct: true });
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect({ code, stdout }).toEqual({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('declares as its bin a committed file outside dist, so an install links it before any build', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const declared: string = pkg.bin['startup-monitor'];
    expect(declared).not.toMatch(/^(\.\/)?dist\//);
    expect(pkg.files).toContain(declared.replace(/^\.\//, '').split('/')[0]);
    const file = fileURLToPath(new URL(`../${declared}`, import.meta.url));
    expect((await readFile(file, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(file)).mode & 0o111).not.toBe(0);
    const child = spawn(file, ['--version'], { cwd: dir });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stdout }).toEqual({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('reports the newest start, plain when piped', async () => {
    const { code, stdout, stderr } = await run(['report']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('orders-api · newest of 12 starts, recorded 2025-03-01T10:11:00.000Z');
    expect(stdout).toMatch(/^migrations \* +·+█+ +368 ms$/m);
    expect(stdout).toContain('Grade A (EXCELLENT)');
    expect(stdout).toContain('Recommendations');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'against a baseline of 854 ms (median of 10 completed starts): +40 %, ▲ regression',
    );
    expect(stdout).not.toContain('\u001b[');
  });

  it('colours the report when FORCE_COLOR is set', async () => {
    expect((await run(['report'], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[32m█');
  });

  it('charts the trend of the last starts', async () => {
    const { code, stdout } = await run(['trend', '--last', '5']);
    expect(code).toBe(0);
    expect(stdout).toContain('Wall time of the last 5 of 12 starts');
    expect(stdout).toMatch(/^12 {2}2025-03-01 10:11:00 {2}A {2}█+┃█+ +1\.2 s {2}▲ \+40 %$/m);
    expect(stdout).toContain('└ baseline 854 ms');
  });

  it('plots the SVG waterfall to stdout and to a file', async () => {
    const out = await run(['plot']);
    expect(out.code).toBe(0);
    expect(checkWellFormed(out.stdout)).toBe('svg');
    expect(out.stdout.match(/<g class="plugin/g)).toHaveLength(5);
    const file = await run(['plot', '--out', 'start.svg']);
    expect(file.code).toBe(0);
    expect(await readFile(join(dir, 'start.svg'), 'utf8')).toBe(out.stdout);
  });

  it('prints its help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: startup-monitor <command> [options]');
  });

  it('reads the history file named by STARTUP_HISTORY_FILE', async () => {
    await writeFile(join(dir, 'billing.jsonl'), `${JSON.stringify(sampleHistory(1, 0, 'billing')[0])}\n`);
    const { code, stdout } = await run(['report'], { env: { STARTUP_HISTORY_FILE: 'billing.jsonl' } });
    expect(code).toBe(0);
    expect(stdout).toContain('billing · the only start, recorded');
  });

  it('exits 1 with --fail-on-regression when the newest start regressed', async () => {
    expect((await run(['trend', '--fail-on-regression'])).code).toBe(1);
  });

  it('exits 2 naming the file when the history file is missing or unreadable', async () => {
    const missing = await run(['report', '--file', 'nope.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`startup-monitor: no history file at ${join(dir, 'nope.jsonl')}`);
    const directory = await run(['trend', '--file', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain(`history file ${dir} is a directory`);
  });

  it('exits 2 for an unknown command or option', async () => {
    const command = await run(['status']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "status"');
    const option = await run(['plot', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--colour'");
  });
});
