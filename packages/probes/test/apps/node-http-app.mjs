// A plain node:http server with the probe handler called first in its request handler.
import { createServer } from 'node:http';
import { attachProbes, createProbeHandler } from '@startup/probes';
import { app, env, line, logger, monitor, slow } from './demo-start.mjs';

const probes = createProbeHandler({ app, monitor, apiKey: env.apiKey });
const server = createServer((req, res) => {
  if (probes(req, res)) return;
  if (req.url === '/slow') return slow((text) => res.end(text));
  res.end('app');
});
server.listen(env.port, '127.0.0.1', () => line('listening', { port: server.address().port }));
attachProbes(server, { handler: probes, delayMs: env.delayMs, logger });
await app.start();
line('started');
