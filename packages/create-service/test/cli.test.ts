import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli.js';
import { workspaceRelease } from './workspace-release.js';

const release = workspaceRelease();
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'create-service-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Runs the command; `answers` typed ahead make stdin a terminal. Resolves with the status and the output. */
async function command(argv: string[], answers?: string) {
  const stdin = Object.assign(new PassThrough(), { isTTY: answers !== undefined });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  if (answers !== undefined) stdin.end(answers);
  const status = await runCommand(argv, { stdin, stdout, stderr, env: {}, release });
  return { status, out, err };
}

describe('create-service', () => {
  it('writes a service from flags alone, with the defaults for the rest, and says how to run it', async () => {
    const dir = join(work, 'orders');
    const { status, out, err } = await command([dir, '--connectors', 'postgres,redis']);
    expect({ status, err }).toEqual({ status: 0, err: '' });
    expect(out).toContain('npm install && npm start');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('orders');
    expect(Object.keys(manifest.dependencies)).toContain('@startup/fastify');
    expect(Object.keys(manifest.dependencies)).toContain('ioredis');
  });

  it.each([
    [['a', '--nope'], 'Unknown option'],
    [['a', '--connectors', 'mongodb'], '--connectors: "mongodb" is not a connector'],
    [['a', '--framework', 'koa'], '--framework: "koa" is not a framework'],
    [['a', '--package-manager', 'bun'], '--package-manager: "bun" is not a package manager'],
    [['a', '--name', 'Bad Name'], '--name "Bad Name" is not a service name'],
    [['a', 'b'], 'one directory expected'],
    [[], 'no directory given'],
  ])('exits with status 2 and names the problem for %j, writing nothing', async (argv, message) => {
    const { status, err } = await command(
      argv.map((arg) => (arg === 'a' || arg === 'b' ? join(work, arg) : arg)),
    );
    expect(status).toBe(2);
    expect(err).toContain(message);
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses a non-empty directory with status 2 and leaves it as it was', async () => {
    const dir = join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const { status, err } = await command([dir]);
    expect(status).toBe(2);
    expect(err).toContain('is not an empty directory: nothing was written');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('writes into an empty directory that exists', async () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    expect((await command([dir, '--yes'])).status).toBe(0);
    expect(existsSync(join(dir, 'src/main.js'))).toBe(true);
  });

  it('asks, in a terminal, for every choice not given, and asks again after a bad answer', async () => {
    const dir = join(work, 'asked');
    const { status, out, err } = await command(
      [],
      `${dir}\n\npostgres,mongodb\nmqtt,redis\nnode-http\npnpm\n`,
    );
    expect({ status, err }).toEqual({ status: 0, err: '' });
    expect(out).toContain('Connectors');
    expect(out).toContain('"mongodb" is not a connector');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('asked');
    expect(Object.keys(manifest.dependencies)).toEqual(
      expect.arrayContaining(['@startup/redis', '@startup/mqtt', '@startup/probes']),
    );
    expect(Object.keys(manifest.dependencies)).not.toContain('fastify');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('pnpm install && pnpm start');
  });

  it('asks nothing with --yes, even in a terminal', async () => {
    const dir = join(work, 'quiet');
    const { status, out } = await command([dir, '--yes'], '');
    expect(status).toBe(0);
    expect(out).not.toContain('Connectors');
  });

  it('prints its own version with --version, status 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await command(['--version'])).toEqual({ status: 0, out: `${version}\n`, err: '' });
  });

  it('prints the usage with --help, status 0', async () => {
    const { status, out } = await command(['--help']);
    expect(status).toBe(0);
    expect(out).toContain('Usage: npm create @startup/service <directory>');
  });
});
