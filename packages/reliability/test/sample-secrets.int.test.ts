import type { FaultProxy } from '@startup/fault-proxy';
import {
  type NatsServer,
  postgresUrl,
  type SecuredRedis,
  startNatsServer,
  startSecuredRedis,
} from '@startup/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleProcess, type SampleProxies, sampleProxies, spawnSample } from './sample-app.js';
import { askEverything, historyOutputs, secretForms } from './sample-outputs.js';
import { unresolvableHost } from './test-policy.js';
import { sleep, waitFor } from './wait-for.js';

// The sample app with a password in every URL (PostgreSQL's trust authentication takes any; Redis and NATS
// run password-protected servers of their own) and an API key, in success and in every failure mode of the
// fault matrix. Everything it emits is captured: stdout, stderr (trace logging), every endpoint, the
// history file and the monitor CLI's report, trend and plot of it. No secret may appear in any of it.
// Extends apps/sample/test/secrets.test.ts (PostgreSQL's password, deadline and configuration errors).

const secrets = {
  postgres: 'pg-Secret-in-url-1',
  redis: 'redis-Secret-in-url-2',
  nats: 'nats-Secret-in-url-3',
  wrong: 'wrong-Secret-in-url-4',
  apiKey: 'api-key-Secret-5-abcdef',
};

interface Urls {
  postgres: string;
  redis: string;
  nats: string;
}

interface Mode {
  name: string;
  /** The URLs the app gets, from the proxies' ports (`proxied`). */
  urls?(proxied: Urls, ports: Record<keyof Urls, number>): Urls;
  /** A fault applied before the app starts. */
  before?(proxies: SampleProxies): void | Promise<void>;
  /** What happens while the app runs; it asks every endpoint at least once. */
  during(app: SampleProcess, proxies: SampleProxies, ask: () => Promise<void>): Promise<void>;
  exitCode: 0 | 1;
}

const each = (proxies: SampleProxies) => [proxies.postgres, proxies.redis, proxies.nats];

/** Waits until the app is ready, then asks every endpoint. */
const whenReady = async (app: SampleProcess, _: SampleProxies, ask: () => Promise<void>) => {
  await app.ready();
  await ask();
};

/** Applies `fault` to the three proxies. */
const onEach =
  (fault: (proxy: FaultProxy) => unknown) =>
  async (proxies: SampleProxies): Promise<void> => {
    await Promise.all(each(proxies).map(fault));
  };

const modes: Mode[] = [
  { name: 'ready', exitCode: 0, during: whenReady },
  {
    name: 'comes up late',
    exitCode: 0,
    before: onEach((p) => p.acceptAt(400)),
    during: whenReady,
  },
  {
    name: 'down at start',
    exitCode: 1,
    before: onEach((p) => p.refuse()),
    during: (_, __, ask) => ask(),
  },
  {
    name: 'blackhole',
    exitCode: 1,
    before: onEach((p) => p.blackhole()),
    during: (_, __, ask) => ask(),
  },
  {
    name: 'reset during handshake',
    exitCode: 1,
    before: onEach((p) => p.resetNew(true)),
    during: (_, __, ask) => ask(),
  },
  {
    name: 'permanent error (wrong database / passwords)',
    exitCode: 1,
    // Slow answers keep the process up long enough for the endpoints to be asked before it exits.
    before: onEach((p) => p.latency(300)),
    urls: (_, ports) => ({
      postgres: `postgres://postgres:${secrets.postgres}@127.0.0.1:${ports.postgres}/startup_reliability_no_such_db`,
      redis: `redis://:${secrets.wrong}@127.0.0.1:${ports.redis}`,
      nats: `nats://reliability:${secrets.wrong}@127.0.0.1:${ports.nats}`,
    }),
    during: (_, __, ask) => ask(),
  },
  {
    name: 'unresolvable host',
    exitCode: 1,
    urls: (urls) => ({
      postgres: urls.postgres.replace('127.0.0.1', unresolvableHost),
      redis: urls.redis.replace('127.0.0.1', unresolvableHost),
      nats: urls.nats.replace('127.0.0.1', unresolvableHost),
    }),
    during: (_, __, ask) => ask(),
  },
  {
    name: 'dies while running',
    exitCode: 0,
    async during(app, proxies, ask) {
      await app.ready();
      await Promise.all(each(proxies).map((p) => p.refuse()));
      await waitFor('readiness fails', async () => (await app.request('/health/ready')).status === 503);
      await ask();
      await Promise.all(each(proxies).map((p) => p.accept()));
      await app.ready();
      await ask();
    },
  },
  {
    name: 'flapping',
    exitCode: 0,
    async during(app, proxies, ask) {
      await app.ready();
      for (let flap = 0; flap < 3; flap++) {
        await Promise.all(each(proxies).map((p) => p.refuse()));
        await sleep(100);
        await Promise.all(each(proxies).map((p) => p.accept()));
        await sleep(100);
      }
      await ask();
      await app.ready();
      await ask();
    },
  },
];

let redis: SecuredRedis;
let nats: NatsServer;
const recorded: number[] = [];

beforeAll(async () => {
  [redis, nats] = await Promise.all([
    startSecuredRedis(secrets.redis),
    startNatsServer({ user: 'reliability', pass: secrets.nats, jetstream: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([redis?.stop(), nats?.stop()]);
  if (recorded.length > 0) {
    const client = new pg.Client({
      connectionString: postgresUrl,
      application_name: 'startup-reliability-cleanup',
    });
    await client.connect();
    await client.query('DELETE FROM sample_events WHERE id = ANY($1)', [recorded]).catch(() => {});
    await client.end();
  }
});

describe.concurrent('secrets of the sample app', () => {
  for (const mode of modes) {
    it(`never appear in anything the app emits: ${mode.name}`, async () => {
      const proxies = await sampleProxies({ nats: nats.url, redis: { host: '127.0.0.1', port: redis.port } });
      const ports = { postgres: proxies.postgres.port, redis: proxies.redis.port, nats: proxies.nats.port };
      const proxied: Urls = {
        postgres: `postgres://postgres:${secrets.postgres}@127.0.0.1:${ports.postgres}/test`,
        redis: `redis://:${secrets.redis}@127.0.0.1:${ports.redis}`,
        nats: `nats://reliability:${secrets.nats}@127.0.0.1:${ports.nats}`,
      };
      const urls = mode.urls?.(proxied, ports) ?? proxied;
      await mode.before?.(proxies);
      const app = spawnSample({
        DATABASE_URL: urls.postgres,
        REDIS_URL: urls.redis,
        NATS_URL: urls.nats,
        API_KEY: secrets.apiKey,
        LOG_LEVEL: 'trace',
        STARTUP_TIMEOUT_MS: '1500',
        ATTEMPT_TIMEOUT_MS: '400',
        HEALTH_TIMEOUT_MS: '300',
      });
      const answers: string[] = [];
      const ask = async () => {
        const { texts, ids } = await askEverything(app, secrets.apiKey);
        answers.push(...texts);
        recorded.push(...ids);
      };
      try {
        await app.port();
        await mode.during(app, proxies, ask);
        if (mode.exitCode === 0) app.child.kill('SIGTERM');
        expect(await app.exited()).toBe(mode.exitCode);
      } finally {
        await app.stop('SIGKILL');
        await proxies.close();
      }
      expect(answers.length).toBeGreaterThan(0);
      const everything = [app.stdout(), app.stderr(), ...answers, ...(await historyOutputs(app.historyFile))];
      for (const secret of Object.values(secrets).flatMap(secretForms)) {
        const leaks = everything.filter((text) => text.includes(secret));
        expect(
          leaks.map((text) => text.slice(Math.max(0, text.indexOf(secret) - 200), text.indexOf(secret) + 50)),
        ).toEqual([]);
      }
    });
  }
});
