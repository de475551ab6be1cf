// A user's app outside the monorepo: every published package, each resource used once, a report on stdout,
// then a stop and a natural exit. The consumer test compiles it as ESM (app.mts) and as CommonJS (a copy
// named app.cts, whose imports become require() calls).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { amqp } from '@startup/amqp';
import { createStartup, isStartupError } from '@startup/core';
import { startupPlugin } from '@startup/fastify';
import { httpService } from '@startup/http';
import { createMonitor } from '@startup/monitor';
import { mqtt } from '@startup/mqtt';
import { mysql } from '@startup/mysql';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { serveProbes } from '@startup/probes';
import { redis } from '@startup/redis';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const name = `consumer-${process.pid}-${randomUUID().slice(0, 8)}`;
  // An upstream of the app's own for @startup/http: /health answers, /echo says hello.
  const upstream = createServer((request, response) => {
    response.end(request.url === '/echo' ? 'hello' : 'ok');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const app = createStartup(
    [
      postgres({
        url: 'postgres://postgres@127.0.0.1:5432/test',
        applicationName: name,
        warmConnections: 1,
      }),
      redis({ url: 'redis://127.0.0.1:6379', connectionName: name }),
      nats({ servers: '127.0.0.1:4222', connectionName: name, jetstream: true }),
      mysql({ url: 'mysql://root@127.0.0.1:3306/test', warmConnections: 1 }),
      amqp({ url: 'amqp://guest:guest@127.0.0.1:5672', connectionName: name }),
      mqtt({ url: 'mqtt://127.0.0.1:1883', clientId: name }),
      httpService({ name: 'upstream', url: `http://127.0.0.1:${upstreamPort}/` }),
    ],
    { deadlineMs: 30_000 },
  );
  const monitor = createMonitor(app, { service: 'consumer' });
  const resources = await app.start();

  const { rows } = await resources.postgres.query<{ answer: number }>('select 41 + 1 as answer');
  const key = `${name}:key`;
  await resources.redis.set(key, 'stored', 'EX', 60);
  const stored = await resources.redis.get(key);
  await resources.redis.del(key);
  const subject = `${name}.echo`;
  const echo = resources.nats.nc.subscribe(subject, {
    max: 1,
    callback: (_error, message) => {
      message.respond(message.data);
    },
  });
  const reply = await resources.nats.nc.request(subject, 'ping', { timeout: 5_000 });
  await echo.closed;
  const account = await resources.nats.jsm.getAccountInfo();
  const [mysqlRows] = await resources.mysql.query('select 6 * 7 as answer');
  const channel = await resources.amqp.createChannel();
  const queue = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  channel.sendToQueue(queue.queue, Buffer.from('queued'));
  let queued: string | undefined;
  for (let i = 0; i < 50 && queued === undefined; i++) {
    const message = await channel.get(queue.queue, { noAck: true });
    if (message) queued = message.content.toString();
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await channel.close();
  await resources.mqtt.publishAsync(`${name}/hello`, 'published', { qos: 1 });
  const echoed = await (await resources.upstream.fetch('/echo')).text();
  const health = await app.health();
  // The probes on a management port of their own, and the same routes inside a Fastify app.
  const probes = await serveProbes({ app, monitor, port: 0, host: '127.0.0.1', signals: [] });
  const ready = await fetch(`http://127.0.0.1:${probes.port}/health/ready`);
  const fastify = Fastify();
  await fastify.register(startupPlugin, { app, monitor, signals: [] });
  const live = await fastify.inject({ method: 'GET', url: '/health/live' });

  console.log(
    JSON.stringify({
      postgres: rows[0]?.answer,
      redis: stored,
      nats: reply.string(),
      jetstreamStreams: account.streams,
      mysql: (mysqlRows as Array<{ answer: number }>)[0]?.answer,
      amqp: queued,
      mqtt: 'published',
      http: echoed,
      health: health.status,
      probesReady: ready.status,
      fastifyLive: live.statusCode,
      grade: monitor.analysis().grade.grade,
      plugins: app.report().plugins.map((plugin) => plugin.name),
    }),
  );
  // The probes' shutdown drains and stops the app; closing Fastify then finds it stopped.
  await probes.stop();
  await fastify.close();
  monitor.dispose();
  await new Promise((resolve) => upstream.close(resolve));
}

main().catch((error: unknown) => {
  console.error(isStartupError(error) ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
});
