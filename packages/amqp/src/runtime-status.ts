import { type Logger, type RuntimeReporter, StartupError } from '@startup/core';
import { redactError } from '@startup/core/plugin-kit';
import type { ChannelModel } from 'amqplib';
import type { ResolvedAmqpOptions } from './resolve-options.js';

/** What {@link watchRuntime} returns. */
export interface RuntimeWatch {
  /** The broker's reason while it blocks the connection (a resource alarm), else `undefined`. */
  blocked(): string | undefined;
  /** Stops reporting; call it before closing the connection on purpose. */
  stop(): void;
}

/**
 * After start, reports the loss of the connection (`close`, with the broker's or socket's error) through
 * `runtime.down(error)`: amqplib does not reconnect a `ChannelModel`, so it stays down. A broker resource alarm
 * (`blocked`) is reported down and its end (`unblocked`) up.
 */
export function watchRuntime(
  model: ChannelModel,
  runtime: RuntimeReporter,
  logger: Logger,
  options: ResolvedAmqpOptions,
): RuntimeWatch {
  let blockedBy: string | undefined;
  let lost = false;
  const onClose = (error?: Error) => {
    if (lost) return;
    lost = true;
    const down = unavailable(
      `connection lost${error === undefined ? '' : `: ${redactError(error, options.secrets).message}`}; not reconnecting (restart the service)`,
      options,
      error,
    );
    logger.warn('amqp connection lost', { target: options.target, error: down.message });
    runtime.down(down);
  };
  const onBlocked = (reason: unknown) => {
    blockedBy = String(reason);
    logger.warn('amqp connection blocked by the broker', { target: options.target, reason: blockedBy });
    runtime.down(
      unavailable(`blocked by the broker (${blockedBy}): publishes wait until it unblocks`, options),
    );
  };
  const onUnblocked = () => {
    if (blockedBy === undefined || lost) return;
    blockedBy = undefined;
    logger.info('amqp connection unblocked', { target: options.target });
    runtime.up();
  };
  model.on('close', onClose);
  model.on('blocked', onBlocked);
  model.on('unblocked', onUnblocked);
  return {
    blocked: () => blockedBy,
    stop() {
      model.off('close', onClose);
      model.off('blocked', onBlocked);
      model.off('unblocked', onUnblocked);
    },
  };
}

function unavailable(what: string, options: ResolvedAmqpOptions, error?: unknown): StartupError {
  const cause = error === undefined ? undefined : redactError(error, options.secrets).cause;
  return new StartupError(
    'STARTUP_ERR_AMQP_UNAVAILABLE',
    `RabbitMQ ${options.target} (plugin "${options.name}"): ${what}`,
    {
      plugin: options.name,
      cause,
    },
  );
}
