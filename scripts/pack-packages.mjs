// Packing the public packages as a user outside the monorepo gets them, shared by the consumer test and the
// create-service test: `pnpm pack` of each (workspace: ranges become the release's versions) into one folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { publicPackages } from './public-packages.mjs';

/** Runs a command; resolves with its exit code and output. Never rejects. `timeoutMs` defaults to 600000. */
export function run(command, args, options = {}) {
  const { timeoutMs = 600_000, ...spawnOptions } = options;
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => (stderr += String(error)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut: signal === 'SIGKILL' });
    });
  });
}

/**
 * Packs every public package under `root` (built first: `pnpm build`) into `destination`. A tarball already there
 * for the same name and version is reused, so two scripts of one CI run pack once. Returns the packages
 * (`{ name, dir, manifest }`) and a map from each name to its tarball's path; `check(ok, what)` hears each pack.
 */
export async function packPackages(root, destination, check = () => {}) {
  const packages = publicPackages(root);
  const tarballs = new Map();
  mkdirSync(destination, { recursive: true });
  for (const pkg of packages) {
    if (!existsSync(`${pkg.dir}/dist`)) throw new Error(`${pkg.name} is not built; run pnpm build first`);
    const already = join(destination, `${pkg.name.slice(1).replace('/', '-')}-${pkg.manifest.version}.tgz`);
    if (existsSync(already)) {
      tarballs.set(pkg.name, already);
      continue;
    }
    const result = await run(
      'npx',
      ['--yes', 'pnpm@10.34.8', 'pack', '--json', '--pack-destination', destination],
      {
        cwd: pkg.dir,
      },
    );
    check(result.code === 0, `pnpm pack ${pkg.name}`);
    if (result.code !== 0) throw new Error(result.stderr || result.stdout);
    tarballs.set(pkg.name, JSON.parse(result.stdout).filename);
  }
  return { packages, tarballs };
}
