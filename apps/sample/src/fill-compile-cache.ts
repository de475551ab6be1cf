// Fills Node's compile cache (Node 22.1 and later) with the application's modules, without running the application:
// importing the bundle and its chunks only compiles them (dist/app.js exports main() and calls nothing), and Node
// writes the cache when this process exits. Run where the image is built, with the Node that will run it:
//   NODE_COMPILE_CACHE=/app/.compile-cache node dist/fill-compile-cache.js
import { readdirSync } from 'node:fs';
import * as nodeModule from 'node:module';

const cache = nodeModule as {
  enableCompileCache?: () => unknown;
  getCompileCacheDir?: () => string | undefined;
};
if (cache.enableCompileCache === undefined) {
  process.stderr.write('This Node has no compile cache (Node 22.1 and later have one): nothing to fill.\n');
} else {
  cache.enableCompileCache();
  const dist = new URL('./', import.meta.url);
  // Not the entry (it would run the application), not this file.
  const skipped = new Set(['main.js', 'fill-compile-cache.js']);
  for (const file of readdirSync(dist)) {
    if (file.endsWith('.js') && !skipped.has(file)) await import(new URL(file, dist).href);
  }
  process.stderr.write(`Compile cache filled in ${cache.getCompileCacheDir?.() ?? 'its directory'}.\n`);
}
