import type { NatsConnection, Status } from '@nats-io/transport-node';
import { describeError, type Logger, type RuntimeReporter, StartupError } from '@startup/core';

/** Follows a connection's `status()` stream: a loss fails the start, then feeds core's runtime reports. */
export interface StatusWatch {
  /** Aborts (with a `StartupError`) when the connection drops or closes before {@link StatusWatch.started}. */
  readonly lost: AbortSignal;
  /** `false` between a disconnect and the reconnection, and once closed. */
  readonly connected: boolean;
  /** Why the connection is not usable now, or `undefined`. */
  readonly error: StartupError | undefined;
  /** Resolves when the status stream ended, which it does when the connection closes. */
  readonly done: Promise<void>;
  /** The start is over: from now on a disconnect is `runtime.down(error)` and a reconnection `runtime.up()`. */
  started(runtime: RuntimeReporter): void;
  /** The plugin closes the connection itself: its `close` status is not a loss. */
  closing(): void;
}

/** Context of {@link watchStatus}. */
export interface WatchContext {
  plugin: string;
  /** The servers, without credentials. */
  target: string;
  logger: Logger;
}

/** Starts consuming `nc.status()`; the loop ends when the connection closes. */
export function watchStatus(nc: NatsConnection, ctx: WatchContext): StatusWatch {
  const lost = new AbortController();
  let runtime: RuntimeReporter | undefined;
  let connected = true;
  let error: StartupError | undefined;
  let closingByPlugin = false;
  const where = `NATS ${ctx.target} (plugin "${ctx.plugin}")`;

  const loss = (next: StartupError) => {
    connected = false;
    error = next;
    if (runtime) runtime.down(next);
    else lost.abort(next);
  };

  const onStatus = (status: Status): void => {
    switch (status.type) {
      case 'disconnect':
        ctx.logger.warn('disconnected; reconnecting', { server: status.server });
        loss(
          new StartupError(
            'STARTUP_ERR_NATS_DISCONNECTED',
            `${where}: lost the connection to ${status.server}; reconnecting`,
            {
              plugin: ctx.plugin,
              retryable: true,
            },
          ),
        );
        return;
      case 'reconnect':
        ctx.logger.info('reconnected', { server: status.server });
        connected = true;
        error = undefined;
        runtime?.up();
        return;
      case 'close':
        if (closingByPlugin) {
          connected = false;
          return;
        }
        ctx.logger.error('connection closed for good');
        loss(
          new StartupError(
            'STARTUP_ERR_NATS_CLOSED',
            `${where}: the client closed the connection for good (reconnection attempts exhausted or a permanent error): restart the service, or raise "maxReconnectAttempts"`,
            { plugin: ctx.plugin, retryable: true },
          ),
        );
        return;
      case 'error':
        ctx.logger.warn('server error', { error: describeError(status.error) });
        return;
      case 'ldm':
        ctx.logger.warn('server entering lame duck mode; the client will move to another server', {
          server: status.server,
        });
        return;
      case 'staleConnection':
        ctx.logger.warn('stale connection (pings unanswered); reconnecting');
        return;
      default:
        return;
    }
  };

  const iterator = nc.status();
  const done = (async () => {
    for await (const status of iterator) onStatus(status);
  })().catch((cause: unknown) => {
    ctx.logger.error('status stream failed', { error: describeError(cause) });
  });

  return {
    lost: lost.signal,
    get connected() {
      return connected && !nc.isClosed();
    },
    get error() {
      return error;
    },
    done,
    started(reporter) {
      runtime = reporter;
    },
    closing() {
      closingByPlugin = true;
    },
  };
}
