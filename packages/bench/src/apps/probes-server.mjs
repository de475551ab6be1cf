// The same three connectors as the sample (PostgreSQL warmed to 10, Redis, NATS with JetStream), served by the
// probes packages in one of three servers, chosen by FRAMEWORK:
// http     @startup/probes' createProbeHandler in a plain node:http server
// express  the same handler mounted as Express middleware
// fastify  @startup/fastify registered in a Fastify app
// Core's defaults: app.health() single-flight and cached 1 s behind /health/ready. SIGTERM drains (delay 0).
import { createServer } from 'node:http';
import { createStartup } from '@startup/core';
import { startupPlugin } from '@startup/fastify';
import { createMonitor } from '@startup/monitor';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { attachProbes, createProbeHandler } from '@startup/probes';
import { redis } from '@startup/redis';
import express from 'express';
import Fastify from 'fastify';

const framework = process.env.FRAMEWORK ?? 'http';
const port = Number(process.env.PORT);
const app = createStartup([
  postgres({ url: process.env.DATABASE_URL, warmConnections: 10 }),
  redis({ url: process.env.REDIS_URL }),
  nats({ servers: process.env.NATS_URL, jetstream: true }),
]);
const monitor = createMonitor(app, { tracing: false });

if (framework === 'fastify') {
  const fastify = Fastify();
  await fastify.register(startupPlugin, { app, monitor });
  await fastify.listen({ port, host: '127.0.0.1' });
} else {
  const probes = createProbeHandler({ app, monitor });
  let server;
  if (framework === 'express') {
    const web = express();
    web.use(probes);
    web.get('/', (_request, response) => response.send('ok'));
    server = web.listen(port, '127.0.0.1');
  } else {
    server = createServer((request, response) => {
      if (probes(request, response)) return;
      response.end('ok');
    });
    server.listen(port, '127.0.0.1');
  }
  attachProbes(server, { handler: probes });
}
await app.start();
