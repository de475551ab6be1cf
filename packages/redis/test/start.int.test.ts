import {
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  redisAdmin,
  redisClientsNamed,
  redisUrl,
  resourceContext,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redis } from '../src/index.js';

const admin = redisAdmin();
let name = '';
let handlesBefore: HandleWatch;

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  await admin.quit();
});
beforeEach(() => {
  name = uniqueName('start');
  handlesBefore = watchHandles();
});
afterEach(async () => {
  expect(await redisClientsNamed(admin, name)).toEqual([]);
  await expectNothingLeft(handlesBefore);
});

describe('redis plugin against the local server', () => {
  it('connects, verifies with a PING and records both steps', async () => {
    const plugin = redis({ url: redisUrl, connectionName: name });
    const { ctx, record } = pluginContext();
    const client = await plugin.init(ctx);
    try {
      expect(client).toBeInstanceOf(Redis);
      expect(client.status).toBe('ready');
      expect(record.steps).toEqual([
        { name: 'connect', ok: true },
        { name: 'verify', ok: true },
      ]);
      expect(await redisClientsNamed(admin, name)).toHaveLength(1);
      expect(await client.set(`${name}:k`, 'v', 'PX', 1_000)).toBe('OK');
    } finally {
      await plugin.close(client, resourceContext());
    }
    expect(client.status).toBe('end');
    expect(record.runtime).toEqual([]);
  });

  it("is named 'redis' unless told otherwise", () => {
    expect(redis().name).toBe('redis');
    expect(redis({ name: 'cache' }).name).toBe('cache');
  });

  it('reports the PING round trip and the client status from its health check', async () => {
    const plugin = redis({ url: redisUrl, connectionName: name });
    const client = await plugin.init(pluginContext().ctx);
    try {
      const details = await plugin.healthCheck(client, resourceContext());
      expect(details).toMatchObject({ status: 'ready' });
      expect((details as { rttMs: number }).rttMs).toBeGreaterThanOrEqual(0);
    } finally {
      await plugin.close(client, resourceContext());
    }
  });

  it('selects the database given in the URL', async () => {
    const plugin = redis({ url: `${redisUrl}/3`, connectionName: name });
    const client = await plugin.init(pluginContext().ctx);
    try {
      const [line] = await redisClientsNamed(admin, name);
      expect(line).toContain(' db=3 ');
    } finally {
      await plugin.close(client, resourceContext());
    }
  });

  it('lets a command in flight finish before closing gracefully', async () => {
    const plugin = redis({ url: redisUrl, connectionName: name });
    const client = await plugin.init(pluginContext().ctx);
    const pending = client.blpop(`${name}:never`, 0.2);
    await plugin.close(client, resourceContext());
    await expect(pending).resolves.toBeNull();
    expect(client.status).toBe('end');
  });

  it('disconnects at once when the close is cut short', async () => {
    const plugin = redis({ url: redisUrl, connectionName: name });
    const client = await plugin.init(pluginContext().ctx);
    const controller = new AbortController();
    controller.abort(new Error('close timed out'));
    await plugin.close(client, { ...resourceContext(), signal: controller.signal });
    expect(client.status).toBe('end');
  });

  it('fails its health check once closed', async () => {
    const plugin = redis({ url: redisUrl, connectionName: name });
    const client = await plugin.init(pluginContext().ctx);
    await plugin.close(client, resourceContext());
    await expect(plugin.healthCheck(client, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_REDIS_UNAVAILABLE',
    });
  });
});
