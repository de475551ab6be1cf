#!/usr/bin/env node
// Prints @startup/core's size as users pay for it: built ESM, bundled, minified and gzipped (level 9), and its runtime
// dependency count. The budget: an application's `import { createStartup } from '@startup/core'` at most 10 KB,
// zero runtime dependencies; the whole root entry and `@startup/core/plugin-kit` (what a connector adds) are
// printed beside it. `--check` exits non-zero over budget. Run it after the build.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budget = 10 * 1024;
const dist = new URL('../packages/core/dist/', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../packages/core/package.json', import.meta.url), 'utf8'));

/** Bundles `contents` (an entry importing from dist) as a user's bundler would, tree-shaken. */
async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: dist, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    write: false,
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const entries = [
  ["import { createStartup } from '@startup/core'", "export { createStartup } from './index.js';", true],
  ['every name of @startup/core (the whole root entry)', "export * from './index.js';", false],
  ['every name of @startup/core/plugin-kit', "export * from './plugin-kit.js';", false],
];
let over = false;
for (const [label, contents, budgeted] of entries) {
  const { minified, gzipped } = await measure(contents);
  const limit = budgeted ? ` (budget ${kb(budget)})` : '';
  console.log(`${label}: ${kb(minified)} minified, ${kb(gzipped)} min+gz${limit}`);
  if (budgeted && gzipped > budget) {
    over = true;
    console.log(`  over budget by ${kb(gzipped - budget)}`);
  }
}
const deps = Object.keys(pkg.dependencies ?? {}).length;
console.log(`@startup/core: ${deps} runtime dependencies (budget 0)`);
if (deps > 0) over = true;
if (over && process.argv.includes('--check')) process.exit(1);
