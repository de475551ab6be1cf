// A framework's own floor for P5: the framework chosen by FRAMEWORK (express or fastify) answering "ok" on
// GET /, no check and nothing to start, so what the probes add is read against the framework they run in.
// Each answers as the probes do there: Express through a middleware writing with node:http's own response
// methods (as the probes handler mounted with `use()`; `res.send` would add its ETag and type work), Fastify
// through a route and `reply.send` (as @startup/fastify).
import express from 'express';
import Fastify from 'fastify';

const framework = process.env.FRAMEWORK ?? 'express';
const port = Number(process.env.PORT);

if (framework === 'fastify') {
  const fastify = Fastify();
  fastify.get('/', (_request, reply) => reply.type('text/plain').send('ok'));
  await fastify.listen({ port, host: '127.0.0.1' });
  process.on('SIGTERM', () => void fastify.close());
} else {
  const web = express();
  web.use((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  const server = web.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close());
}
