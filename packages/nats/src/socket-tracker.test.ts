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

describe('createSocketTracker', () => {
  it('catches the socket nats.js leaves open after a handshake timeout, and destroys it', async () => {
    const server = await startSilentServer();
    cleanup.push(server.close);
    const tracker = createSocketTracker();
    const attempt = tracker.run(() => connect({ servers: `127.0.0.1:${server.port}`, timeout: 100 }));
    await expect(attempt).rejects.toThrow('timeout');
    // This is nats.js' leak: connect() rejected, yet its socket is still open on both ends.
    expect(tracker.open).toBe(1);
    expect(server.sockets.size).toBe(1);
    await tracker.dispose();
    expect(tracker.open).toBe(0);
    await eventually(() => server.sockets.size === 0);
  });

  it('ignores sockets opened in its context by anything but nats.js', async () => {
    const server = await startSilentServer();
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
    const server = await startSilentServer();
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
    const server = await startSilentServer();
    cleanup.push(server.close);
    const tracker = createSocketTracker();
    tracker.destroyAll();
    const attempt = tracker.run(() => connect({ servers: `127.0.0.1:${server.port}`, timeout: 5_000 }));
    await expect(attempt).rejects.toBeDefined();
    await tracker.dispose();
    await eventually(() => server.sockets.size === 0);
  });
});
