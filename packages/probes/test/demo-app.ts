import { createStartup, definePlugin, type StartupOptions } from '@startup/core';
import { createMonitor, loopbackGrades, type Monitor, type MonitorOptions } from '@startup/monitor';

/** A deferred promise: the test decides when it settles. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Two plugins, `config` then `cache` (which depends on it); `cache`'s init waits for `gate` when one is given,
 * so a test holds the start where it wants it; its health check fails while `state.healthy` is false.
 */
export function demoApp(
  options: { gate?: Promise<void>; startup?: StartupOptions; monitor?: MonitorOptions } = {},
) {
  const state = { healthy: true, checks: 0, closed: [] as string[] };
  const config = definePlugin({
    name: 'config',
    init: () => ({ region: 'local' }),
    close: () => void state.closed.push('config'),
  });
  const cache = definePlugin<{ config: { region: string } }>()({
    name: 'cache',
    dependsOn: ['config'],
    retry: false,
    init: async (ctx) => {
      await ctx.step('warm', () => new Promise((resolve) => setTimeout(resolve, 30)));
      if (options.gate) {
        await new Promise<void>((resolve, reject) => {
          // The start may have been cancelled during the step above: an aborted signal fires no more events.
          if (ctx.signal.aborted) return reject(ctx.signal.reason);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
          void options.gate?.then(resolve);
        });
      }
      return new Map<string, string>();
    },
    healthCheck: () => {
      state.checks++;
      if (!state.healthy) throw new Error('cache unreachable');
    },
    close: () => void state.closed.push('cache'),
  });
  const app = createStartup([config, cache], { health: { cacheMs: 0 }, ...options.startup });
  const monitor: Monitor = createMonitor(app, {
    grades: loopbackGrades,
    tracing: false,
    blocking: false,
    service: 'demo',
    ...options.monitor,
  });
  return { app, monitor, state };
}
