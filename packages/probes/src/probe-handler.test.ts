import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoApp } from '../test/demo-app.js';
import { get } from '../test/http-client.js';
import { createProbeHandler } from './probe-handler.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

async function started() {
  const demo = demoApp();
  cleanup.push(async () => {
    await demo.app.stop();
    demo.monitor.dispose();
  });
  await demo.app.start();
  return demo;
}

describe('createProbeHandler in a node:http server', () => {
  it('answers the probe paths and returns false for every other one, which the server answers itself', async () => {
    const { app, monitor } = await started();
    const probes = createProbeHandler({ app, monitor });
    const server = createServer((req, res) => {
      if (probes(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('app');
    });
    const port = await listen(server);
    const ready = await get(port, '/health/ready?verbose=1');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'pass', phase: 'started' });
    for (const path of ['/', '/health/ready/', '/healthz', '/Health', '/health%2Fready']) {
      const other = await get(port, path);
      expect(other.body, path).toBe('app');
    }
  });

  it('calls next() for other paths, as Express/Connect middleware', async () => {
    const { app } = await started();
    const probes = createProbeHandler({ app });
    const next = vi.fn();
    const server = createServer((req, res) => {
      if (probes(req, res, next)) return;
      res.end('after next');
    });
    const port = await listen(server);
    await get(port, '/elsewhere');
    expect(next).toHaveBeenCalledTimes(1);
    await get(port, '/health/live');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('answers HEAD without a body and other methods with a fixed 405', async () => {
    const { app } = await started();
    const probes = createProbeHandler({ app });
    const port = await listen(createServer((req, res) => void (probes(req, res) || res.end('app'))));
    const head = await get(port, '/health/live', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await get(port, '/health/live?<script>', {
      method: 'POST',
      headers: { 'x-echo': 'reflected-value' },
    });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(post.body).not.toMatch(/script|reflected-value|POST/);
  });

  it('after drain() fails readiness and closes every connection after its response, probe or not', async () => {
    const { app } = await started();
    const probes = createProbeHandler({ app });
    const port = await listen(createServer((req, res) => void (probes(req, res) || res.end('app'))));
    const agent = new Agent({ keepAlive: true });
    cleanup.push(() => agent.destroy());
    expect((await get(port, '/', { agent })).headers.connection).toBe('keep-alive');
    probes.drain();
    expect(probes.phase).toBe('stopping');
    const ready = await get(port, '/health/ready', { agent });
    expect(ready.status).toBe(503);
    expect(ready.headers.connection).toBe('close');
    expect((await get(port, '/', { agent })).headers.connection).toBe('close');
  });
});
