#!/usr/bin/env node
// Create-service test: `npm create @startup/service` as a user runs it, outside the monorepo. Packs every public
// package, then for each connector subset that matters (none, each alone, all, postgres with redis) and for the
// prompt flow:
//   - runs the packed generator (`npm exec --package <its tarball> -- create-service`, what `npm create` runs;
//     the prompt flow in a pseudo-terminal made by `script`, answering each prompt as it appears);
//   - installs the generated project with plain npm, our packages from the tarballs (npm's cache is shared);
//   - runs its own test command (`npm test`) against the real servers;
//   - runs its own start command (`npm start`), waits for 200 on /health/ready, sends SIGTERM to its process
//     group and expects the service's graceful shutdown (npm itself dies of the signal); then the same with the
//     Dockerfile's `node src/main.js`, whose exit status must be 0.
// Usage: node scripts/create-service-test.mjs [--only <label>]... [--tarballs <dir>] [--keep]   (after `pnpm build`)
// --tarballs: pack into <dir> (kept), reusing what is packed there already (the consumer test's, in CI).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packPackages, run } from './pack-packages.mjs';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    tarballs: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'startup-create-service-'));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const began = performance.now();
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const quiet = ['--no-audit', '--no-fund', '--no-update-notifier'];
const npm = (args, cwd, options = {}) => run('npm', [...quiet, ...args], { cwd, ...options });
const show = (result) => {
  for (const line of `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40))
    console.log(`     ${line}`);
};

const { packages, tarballs } = await packPackages(root, values.tarballs ?? join(work, 'tarballs'), () => {});
console.log(`packed ${packages.length} packages in ${seconds(began)}`);
const generator = tarballs.get('@startup/create-service');

const connectors = ['postgres', 'redis', 'nats', 'mysql', 'amqp', 'mqtt', 'http'];
const cases = [
  { label: 'none (node:http)', name: 'svc-none', args: ['--connectors', 'none', '--framework', 'node-http'] },
  ...connectors.map((c) => ({ label: `${c} alone`, name: `svc-${c}`, args: ['--connectors', c] })),
  { label: 'all', name: 'svc-all', args: ['--connectors', connectors.join(',')] },
  // The issue's own example: npm create @startup/service my-svc -- --connectors postgres,redis
  { label: 'postgres and redis', name: 'my-svc', args: ['--connectors', 'postgres,redis'] },
  {
    label: 'prompts (postgres, redis, node:http)',
    name: 'svc-prompted',
    prompts: [
      [/Directory/, 'svc-prompted'],
      [/Service name/, ''],
      [/Connectors/, 'postgres,redis'],
      [/Framework/, 'node-http'],
      [/Package manager/, 'npm'],
    ],
  },
].filter((c) => values.only === undefined || values.only.some((only) => c.label.includes(only)));

/** The generator run with flags, from its tarball, as `npm create @startup/service <dir> -- <args>` runs it. */
const generate = (dir, args) =>
  npm(['exec', '--yes', `--package=${generator}`, '--', 'create-service', dir, ...args, '--yes'], work);

/** The generator in a pseudo-terminal (`script`), no flag given: it asks everything; each prompt is answered once on the screen. */
function generateByPrompts(prompts) {
  return new Promise((resolve) => {
    const command = ['npm', ...quiet, 'exec', '--yes', `--package=${generator}`, '--', 'create-service'];
    const child = spawn('script', ['-qec', command.join(' '), '/dev/null'], {
      cwd: work,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk) => {
      screen += chunk;
      const next = prompts[answered];
      if (next?.[0].test(screen.slice(screen.lastIndexOf('\n', screen.length - 2) + 1))) {
        answered += 1;
        child.stdin.write(`${next[1]}\r`);
      }
    });
    child.stderr.on('data', (chunk) => (screen += chunk));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: screen, stderr: '', answered });
    });
  });
}

/** A port free right now, for the start command. */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `command` in `dir` in a process group of its own, waits for 200 on /health/ready, then sends SIGTERM to
 * the group, as a terminal's Ctrl-C or a container runtime does. Resolves with the readiness status, how the
 * command ended (once every process holding its output exited) and what it printed.
 */
async function startAndStop(dir, command, args) {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: dir,
    detached: true,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let ready = 0;
  const deadline = performance.now() + 60_000;
  while (ready !== 200 && performance.now() < deadline && child.exitCode === null) {
    ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 30_000);
  const { code, signal } = await exited;
  clearTimeout(timer);
  return { ready, code, signal, output, graceful: output.includes('"msg":"shutdown complete"') };
}

for (const c of cases) {
  const started = performance.now();
  const dir = join(work, c.name);
  const made = c.prompts ? await generateByPrompts(c.prompts) : await generate(c.name, c.args);
  check(
    made.code === 0 && (!c.prompts || made.answered === c.prompts.length),
    `${c.label}: generated ${c.prompts ? 'by answering the prompts in a pseudo-terminal' : `with ${c.args.join(' ')}`}`,
  );
  if (made.code !== 0) {
    show(made);
    continue;
  }
  // Our packages from the tarballs: those it depends on, and those they depend on (not on the registry).
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const ours = new Set(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@startup/')));
  for (const name of ours) {
    const pkg = packages.find((p) => p.name === name);
    for (const needed of Object.keys(pkg.manifest.dependencies ?? {})) {
      if (needed.startsWith('@startup/')) ours.add(needed);
    }
  }
  const install = await npm(
    ['install', '--prefer-offline', ...[...ours].map((name) => tarballs.get(name))],
    dir,
  );
  check(install.code === 0, `${c.label}: npm install (${[...ours].join(', ')} from the tarballs)`);
  if (install.code !== 0) {
    show(install);
    continue;
  }
  const test = await npm(['test'], dir, { timeoutMs: 180_000 });
  check(test.code === 0, `${c.label}: npm test passes against the real servers`);
  if (test.code !== 0) show(test);
  // The README's command: npm dies of the signal itself, so the service's own log says how it ended.
  const viaNpm = await startAndStop(dir, 'npm', [...quiet, 'start']);
  check(
    viaNpm.ready === 200 && viaNpm.graceful,
    `${c.label}: npm start answers 200 on /health/ready, then SIGTERM shuts it down gracefully`,
  );
  if (viaNpm.ready !== 200 || !viaNpm.graceful) console.log(viaNpm.output);
  // The Dockerfile's command, whose exit status is the service's own.
  const direct = await startAndStop(dir, 'node', ['src/main.js']);
  check(
    direct.ready === 200 && direct.graceful && direct.code === 0,
    `${c.label}: node src/main.js answers 200 on /health/ready, then SIGTERM ends it with status ${direct.code ?? direct.signal} (${seconds(started)} for this case)`,
  );
  if (direct.ready !== 200 || !direct.graceful || direct.code !== 0) console.log(direct.output);
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

if (values.keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`create-service test took ${seconds(began)}`);
console.log(
  failures.length === 0
    ? 'create-service test passed'
    : `create-service test FAILED: ${failures.length} check(s)`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
