import { Writable } from 'node:stream';
import { createStartup } from '@startup/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { startupLogger } from '../src/logger.js';
import { logCloses } from '../src/shutdown.js';

describe('the log of the closes', () => {
  it('has one line per plugin with its outcome: closed, or close failed with the error', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const server = Fastify({ logger: { level: 'info', stream } });
    const app = createStartup(
      [
        { name: 'store', init: () => 'store' },
        {
          name: 'cache',
          dependsOn: ['store'],
          init: () => 'cache',
          close: () => Promise.reject(new Error('socket hang up')),
        },
      ],
      { logger: startupLogger(server.log) },
    );
    logCloses(app, server.log);
    await app.start();
    await app.stop().catch(() => undefined);
    const about = (plugin: string) =>
      lines.filter((l) => l.plugin === plugin && ['closed', 'close failed'].includes(l.msg as string));
    expect(about('store')).toEqual([expect.objectContaining({ msg: 'closed', level: 30 })]);
    expect(about('cache')).toEqual([
      expect.objectContaining({
        msg: 'close failed',
        level: 40,
        error: expect.stringContaining('socket hang up'),
      }),
    ]);
    await server.close();
  });
});
