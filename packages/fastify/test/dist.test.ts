import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { demoApp } from '../../probes/test/demo-app.js';
// The built output on purpose: run `npx tsup` in packages/fastify first.
import { startupPlugin } from '../dist/index.js';

describe('@startup/fastify dist', () => {
  it('registers the probes from the built output', async () => {
    const { app, monitor } = demoApp();
    const fastify = Fastify();
    await fastify.register(startupPlugin, { app, monitor, signals: [] });
    await app.start();
    expect((await fastify.inject('/health/ready')).json()).toEqual({ status: 'pass', phase: 'started' });
    await fastify.close();
    monitor.dispose();
  });
});
