import net from 'node:net';
import { eventually, expectNothingLeft, pluginContext, watchHandles } from '@startup/test-kit';
import { describe, expect, it } from 'vitest';
import { nats } from '../src/index.js';

const info =
  'INFO {"server_id":"x","version":"2.9.0","proto":1,"go":"go","host":"127.0.0.1","port":4222,"max_payload":1048576}\r\n';

/** A server stuck mid-handshake: it greets with INFO, reads CONNECT + PING, and never sends the PONG. */
async function startMuteAfterInfo() {
  const sockets = new Set<net.Socket>();
  let received = '';
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.write(info);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get received() {
      return received;
    },
    get clients() {
      return sockets.size;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('nats() aborted while waiting for the PONG of its handshake', () => {
  it('rejects with the abort reason and leaves no socket and no timer behind', async () => {
    const handles = watchHandles();
    const server = await startMuteAfterInfo();
    try {
      const controller = new AbortController();
      const plugin = nats({ servers: `nats://127.0.0.1:${server.port}`, connectTimeoutMs: 5_000 });
      const pending = Promise.resolve(plugin.init(pluginContext({ signal: controller.signal }).ctx));
      await eventually(() => server.received.includes('PING'));
      const reason = new Error('attempt aborted');
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await eventually(() => server.clients === 0);
    } finally {
      await server.close();
    }
    // nats.js' handshake timer (5 s here) would keep the process alive long after this.
    await expectNothingLeft(handles);
  });
});
