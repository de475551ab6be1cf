import { type Logger, type RuntimeReporter, StartupError } from '@startup/core';
import { redactError } from '@startup/core/plugin-kit';
import type { ConnectionEvents, ReconnectingConnection } from './reconnecting-connection.js';
import type { ResolvedAmqpOptions } from './resolve-options.js';

/** What {@link watchRuntime} returns. */
export interface RuntimeWatch {
  /** The events to hand to the {@link ReconnectingConnection}. */
  readonly events: ConnectionEvents;
  /** The broker's reason while it blocks the connection (a resource alarm), else `undefined`. */
  blocked(): string | undefined;
  /** Starts following the connection's `blocked` / `unblocked`. */
  follow(connection: ReconnectingConnection): void;
  /** Stops reporting; call it before closing the connection on purpose. */
  stop(): void;
}

/**
 * After start, reports each loss of the connection once through `runtime.down(error)` and its recovery through
 * `runtime.up()`. A broker resource alarm (`blocked`) is reported down too, and its end (`unblocked`) up.
 */
export function watchRuntime(
  runtime: RuntimeReporter,
  logger: Logger,
  options: ResolvedAmqpOptions,
): RuntimeWatch {
  let stopped = false;
  let connected = true;
  let blockedBy: string | undefined;
  let down = false;
  let detach = () => {};
  const report = (error?: StartupError) => {
    if (stopped) return;
    if (error !== undefined && !down) {
      down = true;
      runtime.down(error);
    } else if (error === undefined && down && connected && blockedBy === undefined) {
      down = false;
      runtime.up();
    }
  };
  const events: ConnectionEvents = {
    lost(error, reconnecting) {
      connected = false;
      blockedBy = undefined;
      const why = error === undefined ? '' : `: ${redactError(error, options.secrets).message}`;
      const next = reconnecting ? 'reconnecting' : 'not reconnecting (reconnect: false)';
      const lost = unavailable(`connection lost${why}; ${next}`, options, error);
      logger.warn('amqp connection lost', { target: options.target, error: lost.message });
      report(lost);
    },
    attemptFailed(error) {
      logger.debug('amqp reconnection failed', {
        target: options.target,
        error: redactError(error, options.secrets).message,
      });
    },
    restored() {
      connected = true;
      logger.info('amqp connection restored', { target: options.target });
      report();
    },
  };
  return {
    events,
    blocked: () => blockedBy,
    follow(connection) {
      const onBlocked = (reason: unknown) => {
        blockedBy = String(reason);
        logger.warn('amqp connection blocked by the broker', { target: options.target, reason: blockedBy });
        report(
          unavailable(`blocked by the broker (${blockedBy}): publishes wait until it unblocks`, options),
        );
      };
      const onUnblocked = () => {
        blockedBy = undefined;
        logger.info('amqp connection unblocked', { target: options.target });
        report();
      };
      connection.on('blocked', onBlocked);
      connection.on('unblocked', onUnblocked);
      detach = () => {
        connection.off('blocked', onBlocked);
        connection.off('unblocked', onUnblocked);
      };
    },
    stop() {
      stopped = true;
      detach();
    },
  };
}

function unavailable(what: string, options: ResolvedAmqpOptions, error?: unknown): StartupError {
  const cause = error === undefined ? undefined : redactError(error, options.secrets).cause;
  return new StartupError(
    'STARTUP_ERR_AMQP_UNAVAILABLE',
    `RabbitMQ ${options.target} (plugin "${options.name}"): ${what}`,
    { plugin: options.name, cause },
  );
}
