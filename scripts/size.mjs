#!/usr/bin/env node
// Prints @startup/core's size as users pay for it: the built ESM bundle, minified and gzipped,
// and its runtime dependency count, against the 5 KB / 0 dependencies budget. `--check` exits non-zero over it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budget = 5 * 1024;
const pkg = JSON.parse(readFileSync(new URL('../packages/core/package.json', import.meta.url), 'utf8'));
const result = await build({
  entryPoints: [new URL('../packages/core/dist/index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const code = result.outputFiles[0].contents;
const gz = gzipSync(code, { level: 9 }).length;
const deps = Object.keys(pkg.dependencies ?? {}).length;
console.log(
  `@startup/core: ${(code.length / 1024).toFixed(2)} KB minified, ${(gz / 1024).toFixed(2)} KB min+gz (budget 5.00 KB), ${deps} runtime dependencies`,
);
const over = gz > budget || deps > 0;
if (over) console.log(`over budget by ${((gz - budget) / 1024).toFixed(2)} KB`);
if (over && process.argv.includes('--check')) process.exit(1);
