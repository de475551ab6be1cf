import { type HealthDetails, StartupError } from '@startup/core';
import { abortable, redactError } from '@startup/core/plugin-kit';
import type { ReconnectingConnection } from './reconnecting-connection.js';
import type { ResolvedAmqpOptions } from './resolve-options.js';

/** What amqplib negotiated with the broker, kept on its (untyped) connection. */
interface Tuned {
  heartbeat?: number;
  frameMax?: number;
  channelMax?: number;
}

/**
 * Opens and closes a channel, a round trip bounded by `signal`. Fails at once when the connection is closed,
 * reconnecting, or the broker blocks it (a resource alarm: publishes would hang). Returns `{ rttMs, product, version, heartbeatSeconds,
 * frameMax, channelMax }`: the broker's product and version as it announced them, the negotiated limits.
 */
export async function channelRoundTrip(
  connection: ReconnectingConnection,
  signal: AbortSignal,
  options: ResolvedAmqpOptions,
  blocked: () => string | undefined,
): Promise<HealthDetails> {
  const model = connection.current;
  if (model === undefined) throw unhealthy('connection is closed or reconnecting', options);
  const reason = blocked();
  if (reason !== undefined) throw unhealthy(`blocked by the broker (${reason})`, options);
  const started = performance.now();
  try {
    const channel = await abortable(model.createChannel(), signal, (late) => {
      late.close().catch(() => {});
    });
    await abortable(channel.close(), signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const { message, cause } = redactError(error, options.secrets);
    throw unhealthy(`channel round trip failed: ${message}`, options, cause);
  }
  const rttMs = Math.round((performance.now() - started) * 100) / 100;
  const server = model.connection.serverProperties;
  const tuned = model.connection as unknown as Tuned;
  return {
    rttMs,
    product: String(server.product ?? ''),
    version: String(server.version ?? ''),
    heartbeatSeconds: tuned.heartbeat ?? 0,
    frameMax: tuned.frameMax ?? 0,
    channelMax: tuned.channelMax ?? 0,
  };
}

function unhealthy(what: string, options: ResolvedAmqpOptions, cause?: unknown): StartupError {
  return new StartupError(
    'STARTUP_ERR_AMQP_UNAVAILABLE',
    `RabbitMQ ${options.target} (plugin "${options.name}"): ${what}`,
    { plugin: options.name, cause },
  );
}
