import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type SampleProcess, spawnSample } from './sample-process.js';

interface Target {
  service: 'postgres' | 'redis' | 'nats';
  port: number;
  env: (port: number) => Record<string, string>;
}

const targets: Target[] = [
  {
    service: 'postgres',
    port: 5432,
    env: (p) => ({ DATABASE_URL: `postgres://postgres@127.0.0.1:${p}/test` }),
  },
  { service: 'redis', port: 6379, env: (p) => ({ REDIS_URL: `redis://127.0.0.1:${p}` }) },
  { service: 'nats', port: 4222, env: (p) => ({ NATS_URL: `nats://127.0.0.1:${p}` }) },
];

describe.each(targets)('a start with $service unreachable', ({ service, port, env }) => {
  let proxy: FaultProxy | undefined;
  let app: SampleProcess | undefined;
  afterEach(async () => {
    await app?.stop('SIGKILL');
    await proxy?.close();
    app = undefined;
    proxy = undefined;
  });

  it('answers probes, is not ready, says which service in /health, and is ready once it is back', async () => {
    proxy = await createFaultProxy({ target: { host: '127.0.0.1', port } });
    await proxy.refuse();
    app = spawnSample({ ...env(proxy.port), STARTUP_TIMEOUT_MS: '20000' });
    await app.port();
    const refused = proxy;
    // Wait for a failed attempt, so /health has a reason to show.
    await eventually(async () => {
      const body = await (await app!.request('/health')).json();
      return /ECONNREFUSED/.test(body.checks[`${service}:responseTime`][0].output ?? '');
    }, 10_000);

    expect((await app.request('/health/live')).status).toBe(200);
    expect((await app.request('/health/startup')).status).toBe(503);
    const ready = await app.request('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'fail', phase: 'starting' });
    const health = await app.request('/health');
    expect(health.status).toBe(503);
    const body = await health.json();
    expect(body.status).toBe('fail');
    expect(body.startup.status).toBe('starting');
    expect(body.startup.services[service]).toMatchObject({ status: 'fail', startStatus: 'starting' });
    expect(body.checks[`${service}:responseTime`][0].output).toMatch(
      /^starting: attempt \d+ failed: .*ECONNREFUSED/,
    );
    expect(body.output).toContain(service);
    const feature = await app.request('/api/v1/events/counts');
    expect(feature.status).toBe(503);

    await refused.accept();
    await app.ready(15_000);
    const after = await (await app.request('/health')).json();
    expect(after.status).toBe('pass');
    expect(after.startup.services[service].attempts).toBeGreaterThan(1);
    expect(await app.stop()).toBe(0);
  });

  it('exits non-zero naming the service and the reason when it is not back within STARTUP_TIMEOUT_MS', async () => {
    proxy = await createFaultProxy({ target: { host: '127.0.0.1', port } });
    await proxy.refuse();
    app = spawnSample({ ...env(proxy.port), STARTUP_TIMEOUT_MS: '1500' });
    expect(await app.exited()).toBe(1);
    const stderr = app.stderr();
    expect(stderr).toContain('[STARTUP_ERR_DEADLINE]');
    expect(stderr).toMatch(new RegExp(`- ${service}: aborted after \\d+ attempts: .*ECONNREFUSED`));
    const failed = app.logs().find((l) => l.msg === 'start failed');
    expect(failed).toMatchObject({ level: 50 });
    const history = await import('node:fs/promises').then((fs) => fs.readFile(app!.historyFile, 'utf8'));
    expect(JSON.parse(history.trim().split('\n').at(-1)!).report.status).toBe('failed');
  });
});

describe('a service that goes away after the start', () => {
  it('answers 503 naming it on the feature endpoint, fails readiness, and recovers', async () => {
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 6379 } });
    const app = spawnSample({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    try {
      await app.ready();
      await proxy.refuse();
      const res = await app.request('/api/v1/events/counts');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'redis' });
      await eventually(async () => (await app.request('/health/ready')).status === 503, 10_000);
      const health = await (await app.request('/health')).json();
      expect(health.startup.services.redis.status).toBe('fail');
      await proxy.accept();
      await app.ready(15_000);
    } finally {
      expect(await app.stop()).toBe(0);
      await proxy.close();
    }
  });
});
