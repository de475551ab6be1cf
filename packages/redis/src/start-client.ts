import type { PluginContext } from '@startup/core';
import { bounded } from '@startup/core/plugin-kit';
import type { Redis } from 'ioredis';
import { classifyRedisError, redisStartupError } from './classify-error.js';
import { disconnectNow } from './disconnect.js';
import type { ResolvedRedisOptions } from './resolve-options.js';

/**
 * Connects a lazy client and verifies it with a PING, as the report's `connect` and `verify` steps.
 * On any failure, or when `ctx.signal` aborts, the client is disconnected (no socket, no timer, no
 * reconnection) before the step rejects, with the signal's reason or a classified `StartupError`.
 */
export async function startClient(
  client: Redis,
  ctx: PluginContext,
  options: ResolvedRedisOptions,
): Promise<void> {
  // ioredis reports what really failed (ECONNREFUSED, WRONGPASS, a refused SELECT) only as 'error' events;
  // connect() itself rejects with "Connection is closed".
  const seen: unknown[] = [];
  const record = (error: unknown) => seen.push(error);
  client.on('error', record);
  const fail = async (error: unknown): Promise<never> => {
    await disconnectNow(client);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw redisStartupError(mostTelling(error, seen, options), {
      plugin: options.name,
      target: options.target,
      secrets: options.secrets,
      retryUnresolvedHost: options.retryUnresolvedHost,
    });
  };
  const limit = (what: string) => ({
    ms: options.connectTimeoutMs,
    error: () => timedOut(what, options.connectTimeoutMs),
  });
  try {
    await ctx.step('connect', () =>
      bounded(client.connect(), ctx.signal, limit('ready (connect, AUTH, SELECT, ready check)')).catch(fail),
    );
    await ctx.step('verify', async () => {
      try {
        await bounded(client.ping(), ctx.signal, limit('PING reply'));
        // A refused SELECT does not stop ioredis from becoming ready (on database 0).
        const refused = seen.find((error) => isPermanent(error, options));
        if (refused !== undefined) throw refused;
      } catch (error) {
        await fail(error);
      }
    });
  } finally {
    client.off('error', record);
  }
}

/** The error that says most: a permanent one if any, else the first real cause behind "Connection is closed". */
function mostTelling(error: unknown, seen: readonly unknown[], options: ResolvedRedisOptions): unknown {
  const all = [...seen, error];
  const permanent = all.find((e) => isPermanent(e, options));
  if (permanent !== undefined) return permanent;
  if (!isClosed(error)) return error;
  return seen.find((e) => !isClosed(e)) ?? error;
}

function isPermanent(error: unknown, options: ResolvedRedisOptions): boolean {
  return !classifyRedisError(error, options).retryable;
}

function isClosed(error: unknown): boolean {
  return error instanceof Error && /^Connection is closed/.test(error.message);
}

function timedOut(what: string, ms: number): Error {
  return Object.assign(new Error(`no ${what} within ${ms} ms`), { code: 'ETIMEDOUT' });
}
