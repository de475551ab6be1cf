import { defineConfig } from 'tsup';

// Self-contained: the @startup/* packages and the third-party dependencies are bundled into dist/, which
// loads in about 60 % of the time of resolving hundreds of files from node_modules (measured: the HTTP server listens ~290 ms after spawn instead of ~480 ms). Kept external: optional
// modules loaded only when present (pg's native binding, the OpenTelemetry API the user's SDK registers).
// A dependency with a native addon must be added to that list and installed beside dist/.
const external = ['pg-native', '@opentelemetry/api'];

// Four entries (the fourth, src/fill-compile-cache.ts, fills Node's compile cache when an image is built): dist/main.js is a few lines that hold SIGTERM/SIGINT, then import dist/app.js (the bundle), so
// a signal while the bundle loads is a graceful shutdown, not a kill (see src/signal-gate.ts).
// src/configuration.ts is the third, with its types: `@startup/sample/configuration` for the reliability
// suite, which checks loadSample in-process without reaching into src.
export default defineConfig({
  entry: ['src/main.ts', 'src/app.ts', 'src/configuration.ts', 'src/fill-compile-cache.ts'],
  dts: { entry: 'src/configuration.ts' },
  format: ['esm'],
  platform: 'node',
  clean: true,
  sourcemap: true,
  // Chunks: the web framework (src/server.ts and what it imports) loads while the services start.
  splitting: true,
  target: 'node20',
  // Only the sample's sources: the declaration build of src/configuration.ts must not compile the whole repository.
  tsconfig: 'tsconfig.build.json',
  noExternal: [new RegExp(`^(?!(${external.map((e) => e.replace('/', '\\/')).join('|')})$)`)],
  external,
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});
