import { createStartup } from '@startup/core';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import {
  startAll,
  startInSequence,
  startNats,
  startPostgres,
  startRedis,
  type Targets,
} from '../apps/hand-written-start.mjs';

/** One way to start PostgreSQL (warmed), Redis and NATS with JetStream in this process. */
export interface StartContender {
  name: string;
  /** Resolves with the wall time from nothing to all three ready, in milliseconds; closes everything untimed. */
  start(targets: Targets): Promise<number>;
}

/** Ours, the same clients under a hand-written Promise.all, and one after the other. */
export const startContenders: readonly StartContender[] = [
  {
    name: 'ours (createStartup + connectors)',
    async start(targets) {
      const began = performance.now();
      const app = createStartup([
        postgres({ url: targets.postgres, warmConnections: targets.warmConnections }),
        redis({ url: targets.redis }),
        nats({ servers: targets.nats, jetstream: true }),
      ]);
      await app.start();
      const wall = performance.now() - began;
      await app.stop();
      return wall;
    },
  },
  {
    name: 'hand-written Promise.all',
    async start(targets) {
      const began = performance.now();
      const started = await startAll(targets);
      const wall = performance.now() - began;
      await started.close();
      return wall;
    },
  },
  {
    name: 'sequential awaits',
    async start(targets) {
      const began = performance.now();
      const started = await startInSequence(targets);
      const wall = performance.now() - began;
      await started.close();
      return wall;
    },
  },
];

/** Ours and the hand-written start of one connector alone, to show where a difference comes from. */
export interface ConnectorPair {
  connector: 'postgres' | 'redis' | 'nats';
  ours(targets: Targets): Promise<number>;
  handWritten(targets: Targets): Promise<number>;
}

async function timed(open: () => Promise<{ close(): Promise<void> }>): Promise<number> {
  const began = performance.now();
  const started = await open();
  const wall = performance.now() - began;
  await started.close();
  return wall;
}

const oursAlone = (plugin: Parameters<typeof createStartup>[0][number]) =>
  timed(async () => {
    const app = createStartup([plugin]);
    await app.start();
    return { close: () => app.stop() };
  });

/** PostgreSQL (warmed), Redis and NATS with JetStream, each started alone, ours and hand-written. */
export const connectorPairs: readonly ConnectorPair[] = [
  {
    connector: 'postgres',
    ours: (t) => oursAlone(postgres({ url: t.postgres, warmConnections: t.warmConnections })),
    handWritten: (t) => timed(() => startPostgres(t.postgres, t.warmConnections)),
  },
  {
    connector: 'redis',
    ours: (t) => oursAlone(redis({ url: t.redis })),
    handWritten: (t) => timed(() => startRedis(t.redis)),
  },
  {
    connector: 'nats',
    ours: (t) => oursAlone(nats({ servers: t.nats, jetstream: true })),
    handWritten: (t) => timed(() => startNats(t.nats)),
  },
];
