// The floor of spawn-to-ready: Node itself and node:http answering "ok", nothing to start. With
// BENCH_IMPORT_CLIENTS=1 it first imports pg, ioredis and nats.js (what the hand-written app loads), to show
// how much of a spawn-to-ready is loading code.
import { createServer } from 'node:http';

if (process.env.BENCH_IMPORT_CLIENTS === '1') await import('./hand-written-start.mjs');
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('ok');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close());
