import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFaultProxy, type FaultProxy } from '../src/index.js';

let echo: net.Server;
let echoPort: number;
const echoSockets = new Set<net.Socket>();
let proxy: FaultProxy | undefined;

beforeAll(async () => {
  echo = net.createServer((socket) => {
    echoSockets.add(socket);
    socket.on('close', () => echoSockets.delete(socket));
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

const start = async (): Promise<FaultProxy> => {
  proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: echoPort } });
  return proxy;
};

/** Connects to the proxy; resolves with the socket or rejects with the connection error. */
const connect = (p: FaultProxy): Promise<net.Socket> =>
  new Promise((resolve, reject) => {
    const socket = net.connect({ host: p.host, port: p.port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });

/** Sends `text` and resolves with what comes back first, or `undefined` after `withinMs`. */
const roundTrip = (socket: net.Socket, text: string, withinMs = 1_000): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(undefined), withinMs);
    const onData = (chunk: Buffer) => finish(chunk.toString());
    const finish = (value: string | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', reject);
      resolve(value);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(text);
  });

const closedBy = (socket: net.Socket): Promise<Error | undefined> =>
  new Promise((resolve) => {
    let error: Error | undefined;
    socket.on('error', (e) => {
      error = e;
    });
    socket.once('close', () => resolve(error));
  });

const waitUntil = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
};

const count = (kind: string): number => process.getActiveResourcesInfo().filter((r) => r === kind).length;

describe('createFaultProxy', () => {
  it('forwards bytes both ways and counts connections', async () => {
    const p = await start();
    const socket = await connect(p);
    expect(await roundTrip(socket, 'hello')).toBe('hello');
    expect(p.connections).toBe(1);
    expect(p.accepted).toBe(1);
    socket.destroy();
    await waitUntil(() => p.connections === 0);
    expect(p.accepted).toBe(1);
  });

  it('refuses connections after refuse() and accepts again on the same port after accept()', async () => {
    const p = await start();
    const live = await connect(p);
    const cut = closedBy(live);
    await p.refuse();
    await cut;
    expect(p.connections).toBe(0);
    await expect(connect(p)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const port = p.port;
    await p.accept();
    expect(p.port).toBe(port);
    const socket = await connect(p);
    expect(await roundTrip(socket, 'back')).toBe('back');
    socket.destroy();
  });

  it('starts accepting only after the delay given to acceptAt()', async () => {
    const p = await start();
    p.acceptAt(150);
    await new Promise((r) => setTimeout(r, 20));
    await expect(connect(p)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 250));
    const socket = await connect(p);
    expect(await roundTrip(socket, 'late')).toBe('late');
    socket.destroy();
  });

  it('accepts but never answers while blackholed, and forwards again after forward()', async () => {
    const p = await start();
    p.blackhole();
    const held = await connect(p);
    expect(await roundTrip(held, 'anyone?', 150)).toBeUndefined();
    expect(p.connections).toBe(1);
    expect(echoSockets.size).toBe(0);
    held.destroy();
    p.forward();
    const socket = await connect(p);
    expect(await roundTrip(socket, 'yes')).toBe('yes');
    socket.destroy();
  });

  it('drops bytes on live connections while blackholed', async () => {
    const p = await start();
    const socket = await connect(p);
    expect(await roundTrip(socket, 'one')).toBe('one');
    p.blackhole();
    expect(await roundTrip(socket, 'two', 150)).toBeUndefined();
    p.forward();
    expect(await roundTrip(socket, 'three')).toBe('three');
    socket.destroy();
  });

  it('delays every chunk by at least the configured latency', async () => {
    const p = await start();
    const socket = await connect(p);
    p.latency(60);
    const startedAt = performance.now();
    expect(await roundTrip(socket, 'slow', 2_000)).toBe('slow');
    // One delay on the way in and one on the way out.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(2 * 60 - 2);
    p.latency(0);
    socket.destroy();
  });

  it('keeps chunks in order when latency changes mid-stream', async () => {
    const p = await start();
    const socket = await connect(p);
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    p.latency(80);
    socket.write('a');
    p.latency(0);
    socket.write('b');
    await waitUntil(() => received.length === 2);
    expect(received).toBe('ab');
    socket.destroy();
  });

  it('rejects a negative latency', async () => {
    const p = await start();
    expect(() => p.latency(-1)).toThrow(RangeError);
  });

  it('resets new connections while resetNew is on and counts them as accepted', async () => {
    const p = await start();
    p.resetNew(true);
    // The reset can arrive before or after 'connect', so listen for it from the start.
    const error = await closedBy(net.connect({ host: p.host, port: p.port }));
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(p.accepted).toBe(1);
    expect(p.connections).toBe(0);
    p.resetNew(false);
    const ok = await connect(p);
    expect(await roundTrip(ok, 'fine')).toBe('fine');
    ok.destroy();
  });

  it('cuts every live connection on cutAll() and still accepts new ones', async () => {
    const p = await start();
    const a = await connect(p);
    const b = await connect(p);
    await roundTrip(a, 'x');
    await roundTrip(b, 'y');
    const closed = Promise.all([closedBy(a), closedBy(b)]);
    p.cutAll();
    await closed;
    expect(p.connections).toBe(0);
    await waitUntil(() => echoSockets.size === 0);
    const c = await connect(p);
    expect(await roundTrip(c, 'z')).toBe('z');
    c.destroy();
  });

  it('leaves no socket, server or timer behind after close()', async () => {
    // Earlier tests destroy their client sockets without waiting; let those finish closing first.
    await waitUntil(() => echoSockets.size === 0 && count('TCPSocketWrap') === 0);
    const before = { servers: count('TCPServerWrap'), timers: count('Timeout') };
    const p = await start();
    const socket = await connect(p);
    const closed = closedBy(socket);
    p.latency(1_000);
    socket.write('pending');
    p.acceptAt(10_000);
    await p.close();
    proxy = undefined;
    await closed;
    expect(count('TCPServerWrap')).toBe(before.servers);
    await waitUntil(() => echoSockets.size === 0);
    expect(count('TCPSocketWrap')).toBe(0);
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers);
    await expect(connect(p)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
