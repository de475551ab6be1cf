#!/usr/bin/env node
// Fills Node's compile cache (Node 22.1 and later) with every module of dist/ but the entry, without running the
// application: importing the bundle and its chunks only compiles them, and Node writes the cache when it exits.
//   NODE_COMPILE_CACHE=/app/.compile-cache node scripts/fill-compile-cache.mjs
import { readdirSync } from 'node:fs';
import module from 'node:module';

if (module.enableCompileCache === undefined) {
  console.error('This Node has no compile cache (Node 22.1 and later have one): nothing to fill.');
  process.exit(0);
}
module.enableCompileCache();
const dist = new URL('../dist/', import.meta.url);
for (const file of readdirSync(dist)) {
  if (file.endsWith('.js') && file !== 'main.js') await import(new URL(file, dist).href);
}
console.error(`Compile cache filled in ${module.getCompileCacheDir?.() ?? 'its directory'}.`);
