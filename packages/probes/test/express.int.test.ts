import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { startLoadAndDrain } from './drain-scenario.js';

// Spawns test/apps/express-app.mjs, which imports the built @startup/probes: run `pnpm build` first.
describe('the probe handler mounted in a real Express app', () => {
  it('follows the start, holds a bounded load, and drains on SIGTERM', async () => {
    await startLoadAndDrain(fileURLToPath(new URL('./apps/express-app.mjs', import.meta.url)));
  });
});
