import { get } from 'node:http';
import { createStartup, type Startup, type StartupFailedError } from '@startup/core';
import { startupPlugin } from '@startup/fastify';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

/**
 * The sample's shutdown (the drain of `@startup/fastify`, stopped by the sample's own signal handling) while
 * `startup` is still starting: no readiness delay, a timeout far away.
 */
async function duringStart({ server, startup }: { server: FastifyInstance; startup: Startup<unknown> }) {
  await server.register(startupPlugin, { app: startup, delayMs: 0, timeoutMs: 120_000, signals: [] });
  return server.startup;
}

describe('a shutdown during the start', () => {
  it('hands the force to the rollback: a second signal cuts a hanging close short', async () => {
    const startup = createStartup([
      {
        name: 'store',
        init: () => 'store',
        // Ends only when its signal aborts: without the force it would hold the rollback for closeMs (60 s).
        close: (_store, { signal }) =>
          new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        timeouts: { closeMs: 60_000 },
      },
      {
        name: 'slow',
        init: ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    ]);
    const started = startup.start().catch((error: StartupFailedError) => error);
    await new Promise((resolve) => setImmediate(resolve));
    const server = Fastify();
    const shutdown = await duringStart({ server, startup });
    const force = new AbortController();
    const stopped = shutdown
      .stop({ reason: 'SIGTERM', force: force.signal })
      .catch((error: unknown) => error);
    force.abort(new Error('second SIGTERM'));
    const error = (await stopped) as StartupFailedError;
    expect(error.code).toBe('STARTUP_ERR_SHUTDOWN');
    expect(error.failures.map((f) => [f.plugin, f.code])).toEqual([['store', 'STARTUP_ERR_SHUTDOWN']]);
    expect(error.failures.find((f) => f.plugin === 'store')?.message).toContain('second SIGTERM');
    expect(((await started) as StartupFailedError).code).toBe('STARTUP_ERR_ABORTED');
  });

  it('does not leave a failed rollback unhandled while an in-flight request holds the server open', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const startup = createStartup([
      { name: 'store', init: () => 'store', close: () => Promise.reject(new Error('close refused')) },
      {
        name: 'slow',
        init: ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    ]);
    const started = startup.start().catch((error: StartupFailedError) => error);
    const server = Fastify({ forceCloseConnections: 'idle' });
    const shutdown = await duringStart({ server, startup });
    server.get('/slow', () => new Promise((resolve) => setTimeout(() => resolve('done'), 200)));
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    // No keep-alive: the server may close as soon as the response is out.
    const inFlight = new Promise<number | undefined>((resolve, reject) =>
      get(`${address}/slow`, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = (await shutdown.stop({ reason: 'SIGTERM' }).catch((e: unknown) => e)) as StartupFailedError;
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(error.code).toBe('STARTUP_ERR_SHUTDOWN');
    expect(await inFlight).toBe(200);
    expect(unhandled).toEqual([]);
  });
});
