import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { startLoadAndDrain } from './drain-scenario.js';

// Spawns test/apps/node-http-app.mjs, which imports the built @startup/probes: run `pnpm build` first.
describe('the probe handler in a plain node:http server', () => {
  it('follows the start, holds a bounded load, and drains on SIGTERM', async () => {
    await startLoadAndDrain(fileURLToPath(new URL('./apps/node-http-app.mjs', import.meta.url)));
  });
});
