import { isStartupError, silentLogger } from '@startup/core';
import { eventually, freePort, pluginContext, startSilentServer } from '@startup/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { nats } from './plugin.js';

async function failureOf(work: unknown): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('nats()', () => {
  it('is named "nats" unless told otherwise', () => {
    expect(nats().name).toBe('nats');
    expect(nats({ name: 'events' }).name).toBe('events');
  });

  it('validates options when the plugin is made, before anything connects', () => {
    const attempt = () => nats({ servers: 'http://app:hunter2@bus:4222' });
    expect(attempt).toThrow(expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }));
    try {
      attempt();
    } catch (error) {
      expect(isStartupError(error) && error.message).not.toContain('hunter2');
    }
    expect(() => nats({ connectTimeoutMs: -1 })).toThrow(/"connectTimeoutMs"/);
  });

  it("hands core's settings through to the plugin", () => {
    const plugin = nats({
      optional: true,
      retry: { maxAttempts: 3 },
      timeouts: { attemptMs: 500 },
      breaker: { failureThreshold: 2 },
    });
    expect(plugin).toMatchObject({
      optional: true,
      retry: { maxAttempts: 3 },
      timeouts: { attemptMs: 500 },
      breaker: { failureThreshold: 2 },
    });
    expect(nats()).not.toHaveProperty('retry');
  });

  it('does not connect when the attempt is already aborted', async () => {
    const server = await startSilentServer();
    cleanup.push(server.close);
    const controller = new AbortController();
    const { ctx } = pluginContext({ signal: controller.signal });
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(nats({ servers: `127.0.0.1:${server.port}` }).init(ctx)).rejects.toBe(reason);
    expect(server.sockets.size).toBe(0);
  });

  it('fails a refused connection as retryable, recorded on the connect step', async () => {
    const port = await freePort();
    const { ctx, record } = pluginContext();
    const error = await failureOf(nats({ servers: `127.0.0.1:${port}` }).init(ctx));
    expect(error).toMatchObject({ code: 'STARTUP_ERR_NATS_UNAVAILABLE', retryable: true, plugin: 'nats' });
    expect(record.steps).toEqual([{ name: 'connect', ok: false, error }]);
  });

  it('fails a server that never answers within the connect timeout and leaves no socket open', async () => {
    const server = await startSilentServer();
    cleanup.push(server.close);
    const { ctx } = pluginContext();
    const error = await failureOf(
      nats({ servers: `127.0.0.1:${server.port}`, connectTimeoutMs: 100 }).init(ctx),
    );
    expect(error).toMatchObject({ code: 'STARTUP_ERR_NATS_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toContain('TimeoutError');
    await eventually(() => server.sockets.size === 0);
  });

  it('gives up a connect at once when the attempt is aborted, and closes its socket', async () => {
    const server = await startSilentServer();
    cleanup.push(server.close);
    const controller = new AbortController();
    const { ctx } = pluginContext({ signal: controller.signal });
    const pending = nats({ servers: `127.0.0.1:${server.port}`, connectTimeoutMs: 60_000 }).init(ctx);
    await eventually(() => server.sockets.size === 1);
    const reason = new Error('attempt timed out');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => server.sockets.size === 0);
  });

  it('refuses to check or close a resource it did not make', async () => {
    const plugin = nats();
    const foreign = { nc: { close: async () => {} } } as never;
    expect(() =>
      plugin.healthCheck?.(foreign, { signal: new AbortController().signal, logger: silentLogger }),
    ).toThrow(/not a resource of this plugin/);
  });
});
