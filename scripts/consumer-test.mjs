#!/usr/bin/env node
// Consumer test: the packages as a user outside the monorepo gets them. Packs every public package, installs the
// tarballs with the newest peer versions into a fresh npm project (no workspace, no links) and proves that
//   - the install, and one of every combination of our packages with their peers, prints no peer warning;
//   - a typed app using every package passes `tsc --noEmit` (nodenext, no skipLibCheck) under TypeScript 5 and 7;
//   - that app, as ESM and as CommonJS (require of our ESM), starts against the real servers, uses each resource,
//     prints its report, stops and exits by itself, with nothing on stderr, on every Node binary given.
// Usage: node scripts/consumer-test.mjs [--node <node binary>]... [--tarballs <dir>] [--keep]   (run after `pnpm build`)
// --tarballs: pack into <dir> (kept), reusing what is packed there already.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packPackages, run } from './pack-packages.mjs';

const { values } = parseArgs({
  options: {
    node: { type: 'string', multiple: true },
    tarballs: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const nodes = values.node ?? [process.execPath];
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'startup-consumer-'));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

/** npm, run by the Node that runs this script. */
const npm = (args, cwd) => run('npm', ['--no-audit', '--no-fund', '--no-update-notifier', ...args], { cwd });

/** Warning lines of an npm run that concern peers or our packages. */
const peerWarnings = (output) =>
  output
    .split('\n')
    .filter((line) => /^npm (warn|error)/i.test(line) && /peer|ERESOLVE|@startup\//i.test(line));

// 1. Pack.
const { packages, tarballs } = await packPackages(root, values.tarballs ?? join(work, 'tarballs'), check);

/** Every peer of the given packages that is not ours, at its newest version (`name@latest`). */
function newestPeers(names) {
  const peers = new Set();
  for (const name of names) {
    const manifest = packages.find((pkg) => pkg.name === name).manifest;
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
      if (!peer.startsWith('@startup/')) peers.add(`${peer}@latest`);
    }
  }
  return [...peers].sort();
}

// 2. Our packages resolve quietly with the newest peers, in any combination. Each package alone (with the packages
// of ours it needs) shows a peer range that misses the newest version; all of them together show any two whose
// peers disagree, since every pair is inside that install. Together that covers every combination without
// installing 2^n projects.
const others = packages.map((pkg) => pkg.name).filter((name) => name !== '@startup/core');
/** `names` with every package of ours they need (peers and dependencies, followed through), as a user installs them. */
function withOurs(names) {
  const wanted = new Set(names);
  for (const name of wanted) {
    const manifest = packages.find((pkg) => pkg.name === name).manifest;
    for (const needed of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (needed.startsWith('@startup/')) wanted.add(needed);
    }
  }
  return [...wanted].sort();
}
const combinations = [
  ['@startup/core'],
  ['@startup/core', ...others],
  ...others.map((name) => withOurs(['@startup/core', name])),
];
const distinct = [...new Map(combinations.map((names) => [names.join(' '), names])).values()];
combinations.splice(0, combinations.length, ...distinct);
const combinationResults = [];
for (let i = 0; i < combinations.length; i += 4) {
  combinationResults.push(
    ...(await Promise.all(
      combinations.slice(i, i + 4).map(async (names, j) => {
        const dir = join(work, `combination-${i + j}`);
        mkdirSync(dir);
        writeFileSync(
          join(dir, 'package.json'),
          '{ "name": "combination", "version": "1.0.0", "private": true }\n',
        );
        const args = [
          'install',
          '--package-lock-only',
          ...names.map((n) => tarballs.get(n)),
          ...newestPeers(names),
        ];
        const result = await npm(args, dir);
        return { names, result, warnings: peerWarnings(result.stdout + result.stderr) };
      }),
    )),
  );
}
for (const { names, result, warnings } of combinationResults) {
  check(
    result.code === 0 && warnings.length === 0,
    `npm install ${names.join(' ')} + newest peers resolves without a peer warning`,
  );
  for (const line of warnings.length > 0 || result.code !== 0
    ? (result.stdout + result.stderr).split('\n')
    : []) {
    if (line.trim()) console.log(`     ${line}`);
  }
}

// 3. The app project: every package, newest peers, @types/pg and @types/node, TypeScript 5 and 7.
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), '{ "name": "consumer-app", "version": "1.0.0", "private": true }\n');
const all = packages.map((pkg) => pkg.name);
const install = await npm(
  [
    'install',
    ...all.map((n) => tarballs.get(n)),
    ...newestPeers(all),
    '@types/pg@latest',
    '@types/node@latest',
    'typescript@^7',
    'typescript5@npm:typescript@^5',
  ],
  app,
);
const installWarnings = peerWarnings(install.stdout + install.stderr);
check(
  install.code === 0 && installWarnings.length === 0,
  'npm install of every package with the newest peers: no peer warning',
);
if (install.code !== 0 || installWarnings.length > 0) console.log(install.stdout + install.stderr);
const installed = (name) =>
  JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
console.log(
  `     installed: ${[
    'ioredis',
    'pg',
    '@nats-io/transport-node',
    '@nats-io/jetstream',
    'mysql2',
    'amqplib',
    'mqtt',
    '@types/pg',
    '@types/node',
    'typescript',
    'typescript5',
  ]
    .map((name) => `${name} ${installed(name)}`)
    .join(', ')}`,
);

for (const file of ['app.mts', 'tsconfig.json'])
  copyFileSync(join(root, 'scripts/consumer', file), join(app, file));
copyFileSync(join(app, 'app.mts'), join(app, 'app.cts'));

// 4. Types: our declarations and the app must check without skipLibCheck; a third party's errors are only shown.
for (const [label, tsc] of [
  [`TypeScript ${installed('typescript5')}`, 'node_modules/typescript5/bin/tsc'],
  [`TypeScript ${installed('typescript')}`, 'node_modules/typescript/bin/tsc'],
]) {
  const result = await run(process.execPath, [tsc, '-p', '.', '--noEmit', '--pretty', 'false'], { cwd: app });
  const errors = (result.stdout + result.stderr).split('\n').filter((line) => /error TS\d+/.test(line));
  const ours = errors.filter(
    (line) => !line.startsWith('node_modules/') || line.startsWith('node_modules/@startup/'),
  );
  check(
    result.code === 0 || (ours.length === 0 && errors.length > 0),
    `tsc --noEmit (nodenext, no skipLibCheck) under ${label}`,
  );
  for (const line of ours) console.log(`     ${line}`);
  for (const line of errors.filter((l) => !ours.includes(l)))
    console.log(`     third party, tolerated: ${line}`);
  if (result.code !== 0 && errors.length === 0) console.log(result.stdout + result.stderr);
}

// 5. Run: ESM and CommonJS builds of the app (types are checked above), on every Node given.
const build = await run(
  process.execPath,
  ['node_modules/typescript5/bin/tsc', '-p', '.', '--pretty', 'false', '--skipLibCheck'],
  { cwd: app },
);
check(
  build.code === 0 && existsSync(join(app, 'dist/app.mjs')) && existsSync(join(app, 'dist/app.cjs')),
  'the app compiles to dist/app.mjs and dist/app.cjs',
);
for (const node of nodes) {
  const version = (await run(node, ['--version'])).stdout.trim();
  for (const entry of ['dist/app.mjs', 'dist/app.cjs']) {
    const started = performance.now();
    const result = await run(node, [entry], { cwd: app, timeoutMs: 60_000 });
    const ms = Math.round(performance.now() - started);
    let report;
    try {
      report = JSON.parse(result.stdout.trim().split('\n').at(-1));
    } catch {
      report = undefined;
    }
    const used =
      report?.postgres === 42 &&
      report.redis === 'stored' &&
      report.nats === 'ping' &&
      report.health === 'pass' &&
      report.probesReady === 200 &&
      report.fastifyLive === 200 &&
      typeof report.jetstreamStreams === 'number' &&
      report.mysql === 42 &&
      report.amqp === 'queued' &&
      report.mqtt === 'published' &&
      report.http === 'hello' &&
      report.plugins?.join() === 'postgres,redis,nats,mysql,amqp,mqtt,upstream';
    check(
      result.code === 0 && !result.timedOut && used && result.stderr === '',
      `${entry} on Node ${version}: started, used every resource, stopped and exited by itself in ${ms} ms, stderr empty`,
    );
    if (!used || result.code !== 0 || result.stderr !== '') {
      console.log(`     exit ${result.code}${result.timedOut ? ' (killed: did not exit by itself)' : ''}`);
      console.log(`     stdout: ${result.stdout.trim()}`);
      console.log(`     stderr: ${result.stderr.trim()}`);
    } else {
      console.log(`     ${result.stdout.trim()}`);
    }
  }
}

if (values.keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(
  failures.length === 0 ? 'consumer test passed' : `consumer test FAILED: ${failures.length} check(s)`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
