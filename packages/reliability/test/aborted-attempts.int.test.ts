import { type AnyPlugin, createStartup } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import { addressOf, postgresUrl, redisUrl } from '@startup/test-kit';
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
        connectionTimeoutMs: 3_000,
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
