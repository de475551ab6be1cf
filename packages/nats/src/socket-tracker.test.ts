import net from 'node:net';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocketTracker } from './socket-tracker.js';

/** An in-process server that accepts connections and never says a word (a blackholed NATS). */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('createSocketTracker', () => {
  it('catches the socket nats.js leaves open after a handshake timeout, and destroys it', async () => {
    const server = await silentServer();
    cleanup.push(server.close);
    const tracker = createSocketTracker();
    const attempt = tracker.run(() => connect({ servers: `127.0.0.1:${server.port}`, timeout: 100 }));
    await expect(attempt).rejects.toThrow('timeout');
    // This is nats.js' leak: connect() rejected, yet its socket is still open on both ends.
    expect(tracker.open).toBe(1);
    expect(server.sockets.size).toBe(1);
    await tracker.dispose();
    expect(tracker.open).toBe(0);
    await until(() => server.sockets.size === 0);
  });

  it('ignores sockets opened in its context by anything but nats.js', async () => {
    const server = await silentServer();
    cleanup.push(server.close);
    const tracker = createSocketTracker();
    const socket = tracker.run(() => net.connect(server.port, '127.0.0.1'));
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    expect(tracker.open).toBe(0);
    await tracker.dispose();
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('ignores nats.js sockets opened outside its context', async () => {
    const server = await silentServer();
    cleanup.push(server.close);
    const tracker = createSocketTracker();
    const outside = connect({ servers: `127.0.0.1:${server.port}`, timeout: 100 });
    await expect(outside).rejects.toThrow('timeout');
    expect(tracker.open).toBe(0);
    await tracker.dispose();
    // nats.js' leak, which this test owns: close it from the server side.
    expect(server.sockets.size).toBe(1);
  });

  it('destroys sockets opened after destroyAll as soon as they appear', async () => {
    const server = await silentServer();
    cleanup.push(server.close);
    const tracker = createSocketTracker();
    tracker.destroyAll();
    const attempt = tracker.run(() => connect({ servers: `127.0.0.1:${server.port}`, timeout: 5_000 }));
    await expect(attempt).rejects.toBeDefined();
    await tracker.dispose();
    await until(() => server.sockets.size === 0);
  });
});
