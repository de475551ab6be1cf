import { describe, expect, it } from 'vitest';
// The built output on purpose: run `npx tsup` in packages/probes first.
import {
  attachProbes,
  createProbeHandler,
  createProbeRoutes,
  probeDefaults,
  serveProbes,
  startupPage,
} from '../dist/index.js';
import { demoApp } from './demo-app.js';

describe('@startup/probes dist', () => {
  it('serves the probes from the built output', async () => {
    expect(probeDefaults.paths.ready).toBe('/health/ready');
    expect(
      [attachProbes, createProbeHandler, serveProbes, startupPage].every((f) => typeof f === 'function'),
    ).toBe(true);
    const { app, monitor } = demoApp();
    await app.start();
    const routes = createProbeRoutes({ app, monitor });
    expect(JSON.parse((await routes.respond('ready')).body)).toEqual({ status: 'pass', phase: 'started' });
    await app.stop();
    monitor.dispose();
  });
});
