import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestClock, recordingLogger } from '@startup/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, demoApp } from '../test/demo-app.js';
import { get } from '../test/http-client.js';
import { attachProbes } from './attach-probes.js';
import { createProbeHandler } from './probe-handler.js';
import { serveProbes } from './serve-probes.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A server whose `/slow` answers once `release` resolves; every other path answers `app` at once. */
async function appServer(release: Promise<void>) {
  const received: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received.push(req.url ?? '');
    if (req.url === '/slow') void release.then(() => res.end('done'));
    else res.end('app');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, received, port: (server.address() as AddressInfo).port };
}

async function started() {
  const demo = demoApp();
  cleanup.push(async () => {
    await demo.app.stop().catch(() => {});
    demo.monitor.dispose();
  });
  await demo.app.start();
  return demo;
}

const connections = (server: Server) =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
  );

async function until(check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(await check()).toBe(true);
}

describe('attachProbes', () => {
  it('serves the probes in front of the server and leaves every other request to it', async () => {
    const { app, monitor } = await started();
    const { server, port } = await appServer(Promise.resolve());
    const probes = attachProbes(server, { app, monitor, signals: [] });
    expect(JSON.parse((await get(port, '/health/ready')).body)).toEqual({ status: 'pass', phase: 'started' });
    expect((await get(port, '/orders')).body).toBe('app');
    probes.dispose();
    expect((await get(port, '/health/ready')).body).toBe('app');
  });

  it('drains: readiness fails, the delay passes, in-flight requests finish with Connection: close, then the app stops', async () => {
    const { app, monitor, state } = await started();
    const slow = deferred();
    const { server, port, received } = await appServer(slow.promise);
    const clock = createTestClock();
    const lines: string[] = [];
    const probes = attachProbes(server, {
      app,
      monitor,
      signals: [],
      delayMs: 1000,
      clock,
      logger: recordingLogger(lines),
    });
    const idle = new Agent({ keepAlive: true });
    cleanup.push(() => idle.destroy());
    expect((await get(port, '/', { agent: idle })).headers.connection).toBe('keep-alive');
    const inFlight = get(port, '/slow', { agent: new Agent({ keepAlive: true }) });
    await until(() => received.includes('/slow'));

    const stopping = probes.stop({ reason: 'test' });
    // During the delay: readiness fails, the server still answers, each response closes its connection.
    const ready = await get(port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'fail', phase: 'stopping' });
    expect((await get(port, '/health/live')).status).toBe(200);
    expect((await get(port, '/')).headers.connection).toBe('close');
    expect(state.closed).toEqual([]);

    await clock.advanceAsync(1000);
    // The server closed: no new connection, the idle keep-alive one is gone, the busy one remains.
    await until(() => !server.listening);
    await expect(get(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await until(async () => (await connections(server)) === 1);
    expect(state.closed).toEqual([]);

    slow.resolve();
    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200, body: 'done' });
    expect(answer.headers.connection).toBe('close');
    await stopping;
    expect(state.closed).toEqual(['cache', 'config']);
    expect(lines.map((l) => l.split(' {')[0])).toEqual([
      'info shutting down: readiness now fails',
      'info shutdown complete',
    ]);
    expect(probes.stop()).toBe(stopping);
  });

  it('destroys what is still open after timeoutMs, stops the app and rejects with STARTUP_ERR_SHUTDOWN', async () => {
    const { app, monitor, state } = await started();
    const { server, port, received } = await appServer(new Promise(() => {}));
    const clock = createTestClock();
    const probes = attachProbes(server, { app, monitor, signals: [], timeoutMs: 5000, clock });
    const stuck = get(port, '/slow').catch((error: unknown) => error);
    await until(() => received.includes('/slow'));
    const stopping = probes.stop().catch((error: unknown) => error);
    await until(() => !server.listening);
    await clock.advanceAsync(5000);
    expect(await stuck).toMatchObject({ code: 'ECONNRESET' });
    expect(await stopping).toMatchObject({ code: 'STARTUP_ERR_SHUTDOWN' });
    expect(state.closed).toEqual(['cache', 'config']);
  });

  it('cancels a start still running at once, without waiting for the delay', async () => {
    const demo = demoApp({ gate: new Promise(() => {}) });
    cleanup.push(() => demo.monitor.dispose());
    const { server } = await appServer(Promise.resolve());
    const probes = attachProbes(server, {
      app: demo.app,
      signals: [],
      delayMs: 60_000,
      clock: createTestClock(),
    });
    const start = demo.app.start().catch((error: unknown) => error);
    await until(() => demo.app.report().plugins[1]?.status === 'starting');
    await probes.stop();
    expect(await start).toMatchObject({ code: 'STARTUP_ERR_ABORTED' });
    expect(demo.state.closed).toEqual(['config']);
    expect(server.listening).toBe(false);
  });

  it('given the handler mounted in the app, drains it with the server without wrapping the listeners', async () => {
    const { app, monitor, state } = await started();
    const probes = createProbeHandler({ app, monitor });
    const server = createServer((req, res) => void (probes(req, res) || res.end('app')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const attached = attachProbes(server, { handler: probes, signals: [] });
    expect(server.listeners('request')).toHaveLength(2);
    expect((await get(port, '/health/ready')).status).toBe(200);
    await attached.stop();
    expect(probes.phase).toBe('stopping');
    expect(server.listening).toBe(false);
    expect(state.closed).toEqual(['cache', 'config']);
    expect(() => attachProbes(server, { handler: probes, apiKey: 'k' } as never)).toThrow(/"apiKey"/);
  });

  it('listens to the signals given, and dispose() removes the handlers', async () => {
    const { app } = await started();
    const { server } = await appServer(Promise.resolve());
    const before = process.listenerCount('SIGUSR2');
    const probes = attachProbes(server, { app, signals: ['SIGUSR2'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    probes.dispose();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('leaves the server with the request listeners it had once disposed', async () => {
    const { app } = await started();
    const { server } = await appServer(Promise.resolve());
    const before = server.listeners('request');
    const probes = attachProbes(server, { app, signals: [] });
    probes.dispose();
    expect(server.listeners('request')).toEqual(before);
  });

  it('rejects bad shutdown options naming the field', async () => {
    const { app } = await started();
    const { server } = await appServer(Promise.resolve());
    expect(() => attachProbes(server, { app, delayMs: -1 })).toThrow(/"delayMs"/);
    expect(() => attachProbes(server, { app, timeoutMs: 0 })).toThrow(/"timeoutMs"/);
    expect(() => attachProbes(server, { app, signals: ['TERM'] as never })).toThrow(/"signals"/);
    expect(() => attachProbes(server, { app, delay: 5 } as never)).toThrow(/"delay"/);
  });
});

describe('serveProbes', () => {
  it('serves the probes on their own port, 404 with a fixed body elsewhere, and drains the app servers with it', async () => {
    const { app, monitor, state } = await started();
    const { server: api, port: apiPort } = await appServer(Promise.resolve());
    const probes = await serveProbes({
      app,
      monitor,
      port: 0,
      host: '127.0.0.1',
      servers: [api],
      signals: [],
    });
    cleanup.push(() => probes.stop().catch(() => {}));
    expect((await get(probes.port, '/health/ready')).status).toBe(200);
    expect((await get(apiPort, '/health/ready')).body).toBe('app');
    const other = await get(probes.port, '/orders/%3Cimg%20src=x%3E?q=reflected');
    expect(other.status).toBe(404);
    expect(other.body).not.toMatch(/orders|img|reflected/);
    await probes.stop();
    expect(api.listening).toBe(false);
    expect(probes.server.listening).toBe(false);
    expect(state.closed).toEqual(['cache', 'config']);
  });

  it('removes its signal handlers once a stop() has finished, and on dispose()', async () => {
    const { app } = await started();
    const before = process.listenerCount('SIGUSR2');
    const stopped = await serveProbes({ app, port: 0, host: '127.0.0.1', signals: ['SIGUSR2'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    await stopped.stop();
    expect(process.listenerCount('SIGUSR2')).toBe(before);

    const { app: other } = await started();
    const disposed = await serveProbes({ app: other, port: 0, host: '127.0.0.1', signals: ['SIGUSR2'] });
    cleanup.push(() => disposed.stop().catch(() => {}));
    disposed.dispose();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('rejects a bad port naming the field, before listening', async () => {
    const { app } = await started();
    await expect(serveProbes({ app, port: 70_000, signals: [] })).rejects.toThrow(/"port"/);
  });
});
