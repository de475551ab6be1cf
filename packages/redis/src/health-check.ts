import { type HealthDetails, StartupError } from '@startup/core';
import { bounded, redactError } from '@startup/core/plugin-kit';
import type { Redis } from 'ioredis';
import type { ResolvedRedisOptions } from './resolve-options.js';

/**
 * A PING round trip bounded by `signal`. Fails at once when the client is not `ready` (reconnecting,
 * closed) rather than queueing the PING. Returns `{ status, rttMs }`.
 */
export async function pingRoundTrip(
  client: Redis,
  signal: AbortSignal,
  options: ResolvedRedisOptions,
): Promise<HealthDetails> {
  if (client.status !== 'ready') throw unhealthy(`client is ${client.status}`, options);
  const started = performance.now();
  try {
    await bounded(client.ping(), signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const { message, cause } = redactError(error, options.secrets);
    throw unhealthy(`PING failed: ${message}`, options, cause);
  }
  const rttMs = Math.round((performance.now() - started) * 100) / 100;
  return { status: client.status, rttMs };
}

function unhealthy(what: string, options: ResolvedRedisOptions, cause?: unknown): StartupError {
  return new StartupError(
    'STARTUP_ERR_REDIS_UNAVAILABLE',
    `Redis ${options.target} (plugin "${options.name}"): ${what}`,
    { plugin: options.name, cause },
  );
}
