import net from 'node:net';
import { expect, it } from 'vitest';
// The built output on purpose: a broken build must not pass.
import { createFaultProxy } from '../dist/index.js';

it('the built package starts a proxy that refuses and closes', async () => {
  const target = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const proxy = await createFaultProxy({
    target: { host: '127.0.0.1', port: (target.address() as net.AddressInfo).port },
  });
  expect(proxy.port).toBeGreaterThan(0);
  await proxy.refuse();
  const error = await new Promise<NodeJS.ErrnoException>((resolve) =>
    net.connect({ host: proxy.host, port: proxy.port }).once('error', resolve),
  );
  expect(error.code).toBe('ECONNREFUSED');
  await proxy.close();
  await new Promise<void>((resolve) => target.close(() => resolve()));
});
