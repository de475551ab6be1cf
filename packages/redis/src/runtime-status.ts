import { type Logger, type RuntimeReporter, StartupError } from '@startup/core';
import { redactError } from '@startup/core/plugin-kit';
import type { Redis } from 'ioredis';
import type { ResolvedRedisOptions } from './resolve-options.js';

/**
 * After start, reports each loss of the connection (`close`, `reconnecting`, `end`) once through
 * `runtime.down(error)` and its recovery (`ready`) through `runtime.up()`. Returns a disposer that stops
 * reporting; call it before closing the client on purpose.
 */
export function watchRuntime(
  client: Redis,
  runtime: RuntimeReporter,
  logger: Logger,
  options: ResolvedRedisOptions,
): () => void {
  let connected = client.status === 'ready';
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
  };
  const onLoss = () => {
    if (!connected) return;
    connected = false;
    const error = connectionLost(lastError, options);
    logger.warn('redis connection lost', { target: options.target, error: error.message });
    runtime.down(error);
  };
  const onReady = () => {
    lastError = undefined;
    if (connected) return;
    connected = true;
    logger.info('redis connection restored', { target: options.target });
    runtime.up();
  };
  client.on('error', onError);
  client.on('close', onLoss);
  client.on('reconnecting', onLoss);
  client.on('end', onLoss);
  client.on('ready', onReady);
  return () => {
    client.off('error', onError);
    client.off('close', onLoss);
    client.off('reconnecting', onLoss);
    client.off('end', onLoss);
    client.off('ready', onReady);
  };
}

function connectionLost(error: unknown, options: ResolvedRedisOptions): StartupError {
  const { message, cause } = redactError(error, options.secrets);
  const why = error === undefined ? '' : `: ${message}`;
  const next = options.reconnect === false ? 'not reconnecting (reconnect: false)' : 'reconnecting';
  return new StartupError(
    'STARTUP_ERR_REDIS_UNAVAILABLE',
    `Redis ${options.target} (plugin "${options.name}"): connection lost${why}; ${next}`,
    { plugin: options.name, cause },
  );
}
