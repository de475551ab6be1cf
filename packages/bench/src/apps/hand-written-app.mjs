// The hand-written counterpart of the sample app for spawn-to-ready: node:http, and the same three clients
// started with Promise.all; /health/ready answers 200 once they are.
import { createServer } from 'node:http';
import { startAll } from './hand-written-start.mjs';

let ready = false;
let started;
const server = createServer((_request, response) => {
  response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
  response.end(ready ? 'ok' : 'starting');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
started = await startAll({
  postgres: process.env.DATABASE_URL,
  redis: process.env.REDIS_URL,
  nats: process.env.NATS_URL,
  warmConnections: Number(process.env.PG_WARM_CONNECTIONS ?? 10),
});
ready = true;
process.on('SIGTERM', () => {
  server.close();
  void started.close();
});
