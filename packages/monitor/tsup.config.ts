import { defineConfig } from 'tsup';

export default defineConfig({
  // bin.ts starts with `#!/usr/bin/env node`: tsup keeps the shebang and makes dist/bin.js executable.
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
