// A real Fastify app with the plugin registered; the application is the one the probes tests spawn.
import { startupPlugin } from '@startup/fastify';
import Fastify from 'fastify';
import { app, env, line, logger, monitor, slow } from '../../../probes/test/apps/demo-start.mjs';

const fastify = Fastify();
await fastify.register(startupPlugin, { app, monitor, apiKey: env.apiKey, delayMs: env.delayMs, logger });
fastify.get('/', async () => 'app');
fastify.get('/slow', (_request, reply) => slow((text) => reply.send(text)));
await fastify.listen({ port: env.port, host: '127.0.0.1' });
line('listening', { port: fastify.server.address().port });
await app.start();
line('started');
