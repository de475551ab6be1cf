import { existsSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectNothingLeft,
  type HandleWatch,
  startNatsServer,
  startSecuredRedis,
  startServerProcess,
  watchHandles,
} from '../src/index.js';

let handles: HandleWatch;
beforeEach(() => {
  handles = watchHandles();
});
afterEach(async () => {
  await expectNothingLeft(handles);
});

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('extra server processes', () => {
  it('starts a redis-server that wants its password, and leaves no process nor directory', async () => {
    const server = await startSecuredRedis('kit-pw');
    expect(await server.admin.ping()).toBe('PONG');
    const anonymous = new Redis({
      port: server.port,
      host: '127.0.0.1',
      lazyConnect: true,
      enableReadyCheck: false,
      retryStrategy: () => null,
    });
    anonymous.on('error', () => {});
    await anonymous.connect();
    await expect(anonymous.ping()).rejects.toThrow('NOAUTH');
    expect(await server.otherClients()).toHaveLength(1);
    anonymous.disconnect();
    expect(existsSync(server.dir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect(await refused(server.port)).toBe(true);
  });

  it('starts a nats-server with JetStream storing in its directory, and removes it on stop', async () => {
    const server = await startNatsServer({ user: 'a', pass: 'b', jetstream: true });
    expect(server.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(await server.connectionNames()).toEqual([]);
    expect(existsSync(server.dir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect(await refused(Number(new URL(server.url).port))).toBe(true);
  });

  it('rejects a server that exits before it is ready, leaving its directory removed', async () => {
    let dir = '';
    const start = startServerProcess({
      command: process.execPath,
      args: (d) => {
        dir = d;
        return ['-e', 'process.exit(3)'];
      },
      ready: async () => false,
    });
    await expect(start).rejects.toThrow('exited (3)');
    expect(existsSync(dir)).toBe(false);
  });
});
