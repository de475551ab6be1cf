// A real Express app with the probe handler mounted as middleware, its drain tied to the server.
import { attachProbes, createProbeHandler } from '@startup/probes';
import express from 'express';
import { app, env, line, logger, monitor, slow } from './demo-start.mjs';

const probes = createProbeHandler({ app, monitor, apiKey: env.apiKey });
const web = express();
web.use(probes);
web.get('/', (_req, res) => res.send('app'));
web.get('/slow', (_req, res) => slow((text) => res.send(text)));
const server = web.listen(env.port, '127.0.0.1', () => line('listening', { port: server.address().port }));
attachProbes(server, { handler: probes, delayMs: env.delayMs, logger });
await app.start();
line('started');
