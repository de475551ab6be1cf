import type { StartupError } from '@startup/core';
import {
  connectorError,
  type ErrorClass,
  errorCode,
  tlsErrorCode,
  transientNetworkCodes,
} from '@startup/core/plugin-kit';

/** The codes of the errors `mqtt()` throws from `init` and reports at runtime, each with what it means. */
export const mqttErrorCodes = Object.freeze({
  STARTUP_ERR_MQTT_UNAVAILABLE:
    'Not reachable, no CONNACK or PINGRESP in time, broker unavailable, busy or shutting down, connection lost; retried.',
  STARTUP_ERR_MQTT_HOST_NOT_FOUND:
    'The host name does not resolve (ENOTFOUND); retried unless retryUnresolvedHost is false.',
  STARTUP_ERR_MQTT_AUTH:
    'CONNACK refused: bad user name or password, not authorised, banned, bad authentication method; not retried.',
  STARTUP_ERR_MQTT_CLIENT_ID: 'CONNACK refused: the client identifier is not valid; not retried.',
  STARTUP_ERR_MQTT_PROTOCOL:
    'CONNACK refused: the protocol version is not supported, or the port does not speak MQTT; not retried.',
  STARTUP_ERR_MQTT_TLS: 'The TLS set-up failed; not retried.',
  STARTUP_ERR_MQTT_FAILED: 'Anything not recognised; retried.',
} as const);

/** Stable codes of the errors `mqtt()` throws from `init`. Match on these, not on message text. */
export type MqttErrorCode = keyof typeof mqttErrorCodes;

/** What an error means for a start: its code, whether to retry, the client's or broker's reason, what to fix. */
export type MqttErrorClass = ErrorClass<MqttErrorCode>;

/** Options of {@link classifyMqttError}. */
export interface ClassifyOptions {
  /** Treat `ENOTFOUND` as transient. Defaults to `true` (see the README). */
  retryUnresolvedHost?: boolean;
}

/** CONNACK return codes (3.1.1: 1–5) and reason codes (5: 128 and up) that retrying cannot change. */
const authCodes = new Set([4, 5, 134, 135, 138, 140]);
const clientIdCodes = new Set([2, 133]);
const protocolCodes = new Set([1, 132]);
/** Server unavailable (3.1.1: 3; 5: 136), busy (137), shutting down (139), connection rate exceeded (159). */
const busyCodes = new Set([3, 136, 137, 139, 159]);

/** Classifies an error met while starting (connecting, the CONNACK, the verifying PINGREQ). */
export function classifyMqttError(error: unknown, options: ClassifyOptions = {}): MqttErrorClass {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  const reasonCode = connackCode(error);

  if (reasonCode !== undefined && authCodes.has(reasonCode)) {
    return permanent(
      'STARTUP_ERR_MQTT_AUTH',
      `CONNACK ${reasonCode}`,
      'the broker refused the connection: fix "username" and "password" (or the URL), or the broker\'s access rules for this client',
    );
  }
  if (reasonCode !== undefined && clientIdCodes.has(reasonCode)) {
    return permanent(
      'STARTUP_ERR_MQTT_CLIENT_ID',
      `CONNACK ${reasonCode}`,
      'the broker refused the client identifier: set another "clientId" (3.1.1 brokers may accept only 1–23 letters and digits)',
    );
  }
  if (reasonCode !== undefined && protocolCodes.has(reasonCode)) {
    return permanent(
      'STARTUP_ERR_MQTT_PROTOCOL',
      `CONNACK ${reasonCode}`,
      'the broker does not speak this protocol version: set "protocolVersion" to 4 (3.1.1)',
    );
  }
  if (reasonCode !== undefined && busyCodes.has(reasonCode)) {
    return transient(`CONNACK ${reasonCode}`, 'the broker is unavailable or busy; retrying');
  }
  if (code === 'ENOTFOUND') {
    const retried = options.retryUnresolvedHost !== false;
    const hint = retried
      ? 'the host name does not resolve (yet?): check "host" or the URL; retrying, as a service name may resolve only once the service exists'
      : 'the host name does not resolve: check "host" or the URL';
    return { code: 'STARTUP_ERR_MQTT_HOST_NOT_FOUND', retryable: retried, reason: code, hint };
  }
  if (code !== undefined && tlsErrorCode.test(code)) {
    return permanent(
      'STARTUP_ERR_MQTT_TLS',
      code,
      'the TLS set-up failed: check "tls" options, certificates and that the port speaks TLS (mqtts://)',
    );
  }
  if (
    /^(Invalid header flag|Invalid (packet|length)|Unknown command|Packet too short|Malformed)/i.test(message)
  ) {
    return permanent(
      'STARTUP_ERR_MQTT_PROTOCOL',
      'PROTOCOL',
      'the server does not speak MQTT: check "host" and "port"',
    );
  }
  if (code === 'ETIMEDOUT' || /^connack timeout$/i.test(message)) {
    return transient('ETIMEDOUT', 'did not answer in time; retrying');
  }
  if (code !== undefined && transientNetworkCodes.has(code))
    return transient(code, 'not reachable; retrying');
  if (code === 'CLOSED') return transient('CLOSED', 'the connection closed while starting; retrying');
  // Anything else is retried (core's default) but named as unrecognised.
  return {
    code: 'STARTUP_ERR_MQTT_FAILED',
    retryable: true,
    reason: code ?? (reasonCode === undefined ? 'UNKNOWN' : `CONNACK ${reasonCode}`),
    hint: 'failed; retrying',
  };
}

/** Context for {@link mqttStartupError}. */
export interface StartupErrorContext extends ClassifyOptions {
  plugin: string;
  /** `mqtt://host:port`, without credentials. */
  target: string;
  /** Literal secrets (the password) to keep out of the message. */
  secrets?: readonly string[];
}

/**
 * Turns an error met while starting into a `StartupError` with an `MqttErrorCode`, `retryable: false` when retrying
 * cannot help, a message that names the broker and says what to fix, and the original as `cause` (a redacted copy
 * when a secret shows anywhere in it). A `StartupError` is returned as it is.
 */
export function mqttStartupError(error: unknown, ctx: StartupErrorContext): StartupError {
  return connectorError(error, classifyMqttError(error, ctx), { service: 'MQTT broker', ...ctx });
}

/** MQTT.js' CONNACK refusal (`ErrorWithReasonCode`): a numeric `code`, the return or reason code. */
function connackCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

function permanent(code: MqttErrorCode, reason: string, hint: string): MqttErrorClass {
  return { code, retryable: false, reason, hint };
}

function transient(reason: string, hint: string): MqttErrorClass {
  return { code: 'STARTUP_ERR_MQTT_UNAVAILABLE', retryable: true, reason, hint };
}
