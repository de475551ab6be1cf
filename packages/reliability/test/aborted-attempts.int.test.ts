import { type AnyPlugin, createStartup } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import { addressOf, postgresConnectionsLeft, postgresUrl, redisUrl, uniqueName } from '@startup/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchHandles } from '../scripts/active-handles.mjs';
import { causeCode, startFailure } from './fault-case.js';
import { type HalfOpenServer, natsInfo, startHalfOpenServer } from './half-open-server.js';

// When core gives up on an attempt (attempt timeout, deadline, a failure elsewhere, SIGTERM), the connector
// must leave nothing behind at once: no socket, and no timer that keeps the process alive. Here the
// connectors' own handshake timeouts (3 s) are far beyond core's attempt timeout (200 ms), so core's abort
// is what ends each attempt, mid-handshake.

let pgProxy: FaultProxy;
let redisProxy: FaultProxy;
let natsServer: HalfOpenServer;

beforeAll(async () => {
  [pgProxy, redisProxy, natsServer] = await Promise.all([
    createFaultProxy({ target: addressOf(postgresUrl) }),
    createFaultProxy({ target: addressOf(redisUrl) }),
    startHalfOpenServer(natsInfo),
  ]);
  pgProxy.blackhole();
  redisProxy.blackhole();
});

afterAll(async () => {
  await Promise.all([pgProxy?.close(), redisProxy?.close(), natsServer?.close()]);
});

const cases: Array<[string, string, () => AnyPlugin]> = [
  [
    'PostgreSQL',
    'accepts and never answers the startup message',
    () =>
      postgres({
        url: `postgres://postgres@127.0.0.1:${pgProxy.port}/test`,
        connectTimeoutMs: 3_000,
        retry: false,
      }),
  ],
  [
    'Redis',
    'accepts and never answers the ready check',
    () => redis({ port: redisProxy.port, connectTimeoutMs: 3_000, retry: false }),
  ],
  [
    'NATS',
    'sends INFO and never answers the PING after CONNECT',
    () => nats({ servers: `nats://127.0.0.1:${natsServer.port}`, connectTimeoutMs: 3_000, retry: false }),
  ],
];

describe('an attempt aborted by core mid-handshake', () => {
  for (const [label, server, plugin] of cases) {
    it(`leaves no socket and no timer behind (${label}, a server that ${server})`, async () => {
      const watch = watchHandles();
      const app = createStartup([plugin()], { defaults: { attemptTimeoutMs: 200 } });
      const { error } = await startFailure(app);
      expect(causeCode(error)).toBe('STARTUP_ERR_ATTEMPT_TIMEOUT');
      await app.stop();
      // A connect timer left running keeps a process that is shutting down alive for the connector's timeout.
      const left = await watch.left(300);
      const origins = watch.timerOrigins();
      watch.dispose();
      expect({ left, origins }).toEqual({ left: {}, origins: [] });
    });
  }
});

describe('an attempt whose plugin ignores its signal', () => {
  it('is waited for: start() rejects only once the connection it opened late is closed (PostgreSQL)', async () => {
    const slow = await createFaultProxy({ target: addressOf(postgresUrl) });
    slow.latency(150);
    const applicationName = uniqueName('ignores-signal');
    const order: string[] = [];
    const app = createStartup(
      [
        {
          name: 'careless',
          retry: false,
          timeouts: { attemptMs: 100 },
          // Takes no signal: the connect goes on after core gave up on the attempt.
          init: async () => {
            const client = new pg.Client({
              connectionString: `postgres://postgres@127.0.0.1:${slow.port}/test`,
              application_name: applicationName,
            });
            await client.connect();
            order.push('connected');
            return client;
          },
          close: async (client: pg.Client) => {
            await client.end();
            order.push('closed');
          },
        },
      ],
      { deadlineMs: 10_000 },
    );
    try {
      const { error } = await startFailure(app);
      order.push('start() rejected');
      expect(causeCode(error)).toBe('STARTUP_ERR_ATTEMPT_TIMEOUT');
      expect(order).toEqual(['connected', 'closed', 'start() rejected']);
      expect(await postgresConnectionsLeft(applicationName)).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
