import net from 'node:net';
import { connect } from '@nats-io/transport-node';
import { eventually, startSilentServer } from '@startup/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocketTracker } from './socket-tracker.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A server that accepts and never answers (a blackholed NATS server), closed after the test. */
async function silentServer() {
  const server = await startSilentServer();
  cleanup.push(server.close);
  return server;
}

/** A tracker of the sockets dialling `port`. */
const trackerFor = (port: number) => createSocketTracker({ isServerPort: (p) => p === port });

describe('createSocketTracker', () => {
  it('catches the socket nats.js leaves open after a handshake timeout, and destroys it', async () => {
    const server = await silentServer();
    const tracker = trackerFor(server.port);
    const attempt = tracker.run(() => connect({ servers: `127.0.0.1:${server.port}`, timeout: 100 }));
    await expect(attempt).rejects.toThrow('timeout');
    // This is nats.js' leak: connect() rejected, yet its socket is still open on both ends.
    expect(tracker.open).toBe(1);
    expect(server.sockets.size).toBe(1);
    await tracker.dispose();
    expect(tracker.open).toBe(0);
    await eventually(() => server.sockets.size === 0);
  });

  it('tracks a socket to a server port by where it goes, whatever the code that opened it is named', async () => {
    const server = await silentServer();
    const tracker = trackerFor(server.port);
    // What a minified bundle looks like: no frame names nats.js' transport.
    const a = () => net.connect(server.port, '127.0.0.1');
    const socket = tracker.run(a);
    socket.on('error', () => {});
    expect(tracker.open).toBe(1);
    await tracker.dispose();
    expect(socket.destroyed).toBe(true);
  });

  it('ignores sockets opened in its context to other ports, such as the application opens from a callback', async () => {
    const server = await silentServer();
    const other = await silentServer();
    const tracker = trackerFor(server.port);
    const sockets = tracker.run(() => [
      net.connect(other.port, '127.0.0.1'),
      net.connect({ port: other.port, host: '127.0.0.1' }),
    ]);
    for (const socket of sockets) socket.on('error', () => {});
    await Promise.all(sockets.map((s) => new Promise((resolve) => s.once('connect', resolve))));
    expect(tracker.open).toBe(0);
    await tracker.dispose();
    expect(sockets.map((s) => s.destroyed)).toEqual([false, false]);
    for (const socket of sockets) socket.destroy();
  });

  it('claims nothing once disposed, even from a callback that still runs in its context', async () => {
    const server = await silentServer();
    const keeper = trackerFor(server.port);
    cleanup.push(() => keeper.dispose());
    const tracker = trackerFor(server.port);
    let later!: () => net.Socket;
    tracker.run(() => {
      later = () => net.connect(server.port, '127.0.0.1');
    });
    await tracker.dispose();
    const socket = await tracker.run(
      () => new Promise<net.Socket>((resolve) => setImmediate(() => resolve(later()))),
    );
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('ignores nats.js sockets opened outside its context', async () => {
    const server = await silentServer();
    const tracker = trackerFor(server.port);
    const outside = connect({ servers: `127.0.0.1:${server.port}`, timeout: 100 });
    await expect(outside).rejects.toThrow('timeout');
    expect(tracker.open).toBe(0);
    await tracker.dispose();
    // nats.js' leak, which this test owns: close it from the server side.
    expect(server.sockets.size).toBe(1);
  });

  it('destroys sockets opened after destroyAll as soon as they appear', async () => {
    const server = await silentServer();
    const tracker = trackerFor(server.port);
    tracker.destroyAll();
    const attempt = tracker.run(() => connect({ servers: `127.0.0.1:${server.port}`, timeout: 5_000 }));
    await expect(attempt).rejects.toBeDefined();
    await tracker.dispose();
    await eventually(() => server.sockets.size === 0);
  });
});
