import type { ProbePhase } from '@startup/probes';
import Fastify from 'fastify';
import { expectTypeOf, test } from 'vitest';
import { demoApp } from '../../probes/test/demo-app.js';
import { startupPlugin } from './startup-plugin.js';

test('fastify.startup is typed, and the options are checked', async () => {
  const fastify = Fastify();
  const { app, monitor } = demoApp();
  await fastify.register(startupPlugin, { app, monitor, apiKey: 'key', delayMs: 5000 });
  expectTypeOf(fastify.startup.phase).toEqualTypeOf<ProbePhase>();
  expectTypeOf(fastify.startup.stop).returns.toEqualTypeOf<Promise<void>>();
  // @ts-expect-error: an app is required
  await fastify.register(startupPlugin, { monitor });
  // @ts-expect-error: delayMs is a number of milliseconds
  await fastify.register(startupPlugin, { app, delayMs: '5s' });
});
