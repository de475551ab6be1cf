// A node:http server over the same three connectors as the sample, answering GET /health with one of:
// HEALTH=cached        core's app.health(): single-flight and cached for 1 s (the default)
// HEALTH=single-flight app.health() with cacheMs 0: concurrent requests share one check, nothing is kept
// HEALTH=direct        every plugin's healthCheck called for every request: no single-flight, no cache
import { createServer } from 'node:http';
import { createStartup, silentLogger } from '@startup/core';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';

const mode = process.env.HEALTH ?? 'cached';
const plugins = [
  postgres({ url: process.env.DATABASE_URL, warmConnections: 10 }),
  redis({ url: process.env.REDIS_URL }),
  nats({ servers: process.env.NATS_URL, jetstream: true }),
];
const app = createStartup(plugins, { health: { cacheMs: mode === 'single-flight' ? 0 : 1000 } });

async function direct() {
  const checks = {};
  let status = 'pass';
  await Promise.all(
    plugins.map(async (plugin) => {
      try {
        const details = await plugin.healthCheck(app.resources[plugin.name], {
          signal: AbortSignal.timeout(5000),
          logger: silentLogger,
        });
        checks[plugin.name] = { status: 'pass', details };
      } catch (error) {
        status = 'fail';
        checks[plugin.name] = { status: 'fail', error: String(error) };
      }
    }),
  );
  return { status, checks };
}

let ready = false;
const server = createServer((_request, response) => {
  if (!ready) {
    response.writeHead(503).end();
    return;
  }
  const check = mode === 'direct' ? direct() : app.health();
  check.then(
    (result) => {
      response.writeHead(result.status === 'fail' ? 503 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result));
    },
    () => response.writeHead(500).end(),
  );
});
server.listen(Number(process.env.PORT), '127.0.0.1');
await app.start();
ready = true;
process.on('SIGTERM', () => {
  server.close();
  void app.stop();
});
