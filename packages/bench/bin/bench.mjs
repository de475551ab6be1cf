#!/usr/bin/env node
// Entry of `pnpm bench`: builds what the suite measures (the built output, as users get it), then runs the
// TypeScript suite through tsx. A sample app that does not build only skips the measures that need it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const turbo = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url));
  const build = spawnSync(
    turbo,
    [
      'run',
      'build',
      '--filter=@startup/bench^...',
      '--filter=@startup/sample',
      '--continue',
      '--output-logs=errors-only',
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (build.status !== 0) console.error('bench: the build reported errors; measuring what was built');
}
const needed = ['core', 'postgres', 'redis', 'nats', 'fault-proxy'].map((p) => `packages/${p}/dist/index.js`);
const missing = needed.filter((file) => !existsSync(new URL(`../../../${file}`, import.meta.url)));
if (missing.length > 0) {
  console.error(`bench: cannot run without ${missing.join(', ')}; build them first (pnpm build)`);
  process.exit(1);
}
// This package's tsconfig has no `paths`: the root one would map @startup/* to their sources.
const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
process.env.TSX_TSCONFIG_PATH = tsconfig;
const { register } = await import('tsx/esm/api');
register({ tsconfig });
await import('../src/main.ts');
