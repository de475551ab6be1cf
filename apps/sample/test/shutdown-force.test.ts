import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStartup, type Startup, type StartupFailedError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import type { SampleContext } from '../src/sample-context.js';
import { createWebServer } from '../src/web-server.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The sample's web server and its shutdown (readiness fails, the server closes, then the services), stopped by
 * the sample's own signal handling, while `startup` is still starting: no readiness delay, a timeout far away.
 */
function duringStart(startup: Startup<unknown>) {
  const ctx = {
    config: { serviceName: 'shutdown-force', shutdownDelayMs: 0, shutdownTimeoutMs: 120_000 },
    startup,
    monitor: undefined,
    history: undefined,
    redact: (text: string) => text,
  } as unknown as SampleContext;
  return createWebServer(ctx, silent);
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
    const shutdown = duringStart(startup);
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
    const shutdown = duringStart(startup);
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    // The web framework's handler, as the sample hands it over once loaded.
    shutdown.handOver((_request, response) => {
      received();
      setTimeout(() => response.end('done'), 200);
    });
    await shutdown.listen(0, '127.0.0.1');
    const address = `http://127.0.0.1:${(shutdown.server.address() as AddressInfo).port}`;
    // No keep-alive: the server may close as soon as the response is out.
    const inFlight = new Promise<number | undefined>((resolve, reject) =>
      get(`${address}/slow`, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject),
    );
    // In flight once its handler runs (a fixed wait loses the race on a loaded machine).
    await arrived;
    const error = (await shutdown.stop({ reason: 'SIGTERM' }).catch((e: unknown) => e)) as StartupFailedError;
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(error.code).toBe('STARTUP_ERR_SHUTDOWN');
    expect(await inFlight).toBe(200);
    expect(unhandled).toEqual([]);
    expect(((await started) as StartupFailedError).code).toBe('STARTUP_ERR_ABORTED');
  });
});
