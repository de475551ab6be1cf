import { type Logger, type RuntimeReporter, StartupError } from '@startup/core';
import { redactError } from '@startup/core/plugin-kit';
import type { MqttClient } from 'mqtt';
import type { ResolvedMqttOptions } from './resolve-options.js';

/**
 * After start, reports each loss of the connection (`close`) once through `runtime.down(error)` and its
 * recovery (`connect`, after MQTT.js reconnected) through `runtime.up()`. Returns a disposer that stops
 * reporting; call it before closing the client on purpose.
 */
export function watchRuntime(
  client: MqttClient,
  runtime: RuntimeReporter,
  logger: Logger,
  options: ResolvedMqttOptions,
): () => void {
  let connected = client.connected;
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
  };
  const onClose = () => {
    if (!connected) return;
    connected = false;
    const error = connectionLost(lastError, options);
    logger.warn('mqtt connection lost', { target: options.target, error: error.message });
    runtime.down(error);
  };
  const onConnect = () => {
    lastError = undefined;
    if (connected) return;
    connected = true;
    logger.info('mqtt connection restored', { target: options.target });
    runtime.up();
  };
  client.on('error', onError);
  client.on('close', onClose);
  client.on('connect', onConnect);
  return () => {
    client.off('error', onError);
    client.off('close', onClose);
    client.off('connect', onConnect);
  };
}

function connectionLost(error: unknown, options: ResolvedMqttOptions): StartupError {
  const { message, cause } = redactError(error, options.secrets);
  const why = error === undefined ? '' : `: ${message}`;
  const next =
    options.reconnectPeriodMs === 0
      ? 'not reconnecting (reconnectPeriodMs: 0)'
      : `reconnecting every ${options.reconnectPeriodMs} ms`;
  return new StartupError(
    'STARTUP_ERR_MQTT_UNAVAILABLE',
    `MQTT broker ${options.target} (plugin "${options.name}"): connection lost${why}; ${next}`,
    { plugin: options.name, cause },
  );
}
