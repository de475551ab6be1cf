import { readFile } from 'node:fs/promises';
import type { StartupReport } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { addressOf, postgresUrl, redisUrl } from '@startup/test-kit';

// The sample app (apps/sample, built) is started as `node apps/sample/dist/main.js` by its own test helper.
export { type SampleProcess, spawnSample } from '../../../apps/sample/test/sample-process.js';

/** The plugins of the sample app and the one each depends on. */
export const sampleDependencies: Readonly<Record<string, string | undefined>> = {
  postgres: undefined,
  redis: undefined,
  nats: undefined,
  'events-table': 'postgres',
  'events-stream': 'nats',
};

/** One fault proxy per service of the sample app, in front of the given servers. */
export interface SampleProxies {
  postgres: FaultProxy;
  redis: FaultProxy;
  nats: FaultProxy;
  close(): Promise<void>;
}

/** Proxies in front of PostgreSQL, Redis (the shared ones unless given) and the NATS server at `natsServerUrl`. */
export async function sampleProxies(targets: {
  nats: string;
  redis?: { host: string; port: number };
}): Promise<SampleProxies> {
  const [postgres, redis, nats] = await Promise.all([
    createFaultProxy({ target: addressOf(postgresUrl) }),
    createFaultProxy({ target: targets.redis ?? addressOf(redisUrl) }),
    createFaultProxy({ target: addressOf(targets.nats) }),
  ]);
  return {
    postgres,
    redis,
    nats,
    async close() {
      await Promise.all([postgres.close(), redis.close(), nats.close()]);
    },
  };
}

/** The last start recorded in a history file, or `undefined` when there is none. */
export async function lastReport(historyFile: string): Promise<StartupReport | undefined> {
  const text = await readFile(historyFile, 'utf8').catch(() => '');
  const last = text.trim().split('\n').filter(Boolean).at(-1);
  return last === undefined ? undefined : (JSON.parse(last) as { report: StartupReport }).report;
}

/** `/health`'s view of each service while starting: its start status (`ready`, `starting`…). */
export async function startStatuses(
  request: (path: string) => Promise<{ json(): Promise<any> }>,
): Promise<Record<string, string>> {
  const body = await (await request('/health')).json();
  const services = (body?.startup?.services ?? {}) as Record<string, { startStatus?: string }>;
  return Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.startStatus ?? '?']));
}
