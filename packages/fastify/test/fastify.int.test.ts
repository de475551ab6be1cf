import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { startLoadAndDrain } from '../../probes/test/drain-scenario.js';

// Spawns test/apps/fastify-app.mjs, which imports the built @startup/fastify: run `pnpm build` first.
describe('the plugin registered in a real Fastify app', () => {
  it('follows the start, holds a bounded load, and drains on SIGTERM', async () => {
    await startLoadAndDrain(fileURLToPath(new URL('./apps/fastify-app.mjs', import.meta.url)));
  });
});
