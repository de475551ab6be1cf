// The service against the real servers at .env.example's defaults (or wherever the variables say): it starts,
// is ready, its feature reaches every service, and it stops.
import assert from 'node:assert/strict';
// @if http
import { createServer } from 'node:http';
// @end
import { after, before, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { createService } from '../src/service.js';

let service;
let base;
// @if http
// The HTTP upstream, played by a server of the test's own.
const upstream = createServer((_request, response) => response.end('ok'));
// @end

before(async () => {
  // @if http
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  // @end
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // @if http
    UPSTREAM_URL: `http://127.0.0.1:${upstream.address().port}/`,
    // @end
  });
  service = await createService(config, { signals: [] });
  base = `http://127.0.0.1:${await service.listen()}`;
  await service.start();
});

after(async () => {
  await service?.stop();
  // @if http
  await new Promise((resolve) => upstream.close(resolve));
  // @end
});

test('answers ready once every service started', async () => {
  const response = await fetch(`${base}/health/ready`);
  assert.equal(response.status, 200);
});

test('its feature makes a round trip through every service', async () => {
  const response = await fetch(`${base}/api/v1/round-trip`);
  assert.equal(response.status, 200);
  const { service: name, answers } = await response.json();
  assert.equal(name, '{{name}}');
  // @if postgres
  assert.equal(answers.postgres, 42);
  // @end
  // @if redis
  assert.ok(answers.redis >= 1);
  // @end
  // @if nats
  assert.equal(answers.nats, 'ping');
  // @end
  // @if mysql
  assert.equal(answers.mysql, 42);
  // @end
  // @if amqp
  assert.equal(answers.amqp, 'queued');
  // @end
  // @if mqtt
  assert.equal(answers.mqtt, 'published');
  // @end
  // @if http
  assert.equal(answers.upstream, 200);
  // @end
  // @if !connectors
  assert.deepEqual(answers, {});
  // @end
});
