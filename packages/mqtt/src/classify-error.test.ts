import { ErrorWithReasonCode } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { classifyMqttError, mqttStartupError } from './classify-error.js';

/** An error as Node's net module makes it. */
function systemError(code: string, message = `connect ${code} 127.0.0.1:1883`): Error {
  return Object.assign(new Error(message), { code });
}

/** A refusing CONNACK, as MQTT.js reports it. */
const refused = (code: number) => new ErrorWithReasonCode(`Connection refused: ${code}`, code);

describe('classifyMqttError', () => {
  it.each([
    ['ECONNREFUSED', systemError('ECONNREFUSED')],
    ['ECONNRESET', systemError('ECONNRESET', 'read ECONNRESET')],
    ['ETIMEDOUT', systemError('ETIMEDOUT', 'connect ETIMEDOUT')],
    ['ETIMEDOUT', new Error('connack timeout')],
    ['EHOSTUNREACH', systemError('EHOSTUNREACH')],
    ['EAI_AGAIN', systemError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN broker')],
    ['CLOSED', Object.assign(new Error('connection closed before the CONNACK'), { code: 'CLOSED' })],
    ['CONNACK 3', refused(3)],
    ['CONNACK 136', refused(136)],
    ['CONNACK 137', refused(137)],
    ['CONNACK 139', refused(139)],
  ])('retries %s as transient', (reason, error) => {
    expect(classifyMqttError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_MQTT_UNAVAILABLE',
      reason,
    });
  });

  it.each([
    ['STARTUP_ERR_MQTT_AUTH', refused(4)],
    ['STARTUP_ERR_MQTT_AUTH', refused(5)],
    ['STARTUP_ERR_MQTT_AUTH', refused(134)],
    ['STARTUP_ERR_MQTT_AUTH', refused(135)],
    ['STARTUP_ERR_MQTT_AUTH', refused(138)],
    ['STARTUP_ERR_MQTT_CLIENT_ID', refused(2)],
    ['STARTUP_ERR_MQTT_CLIENT_ID', refused(133)],
    ['STARTUP_ERR_MQTT_PROTOCOL', refused(1)],
    ['STARTUP_ERR_MQTT_PROTOCOL', refused(132)],
    ['STARTUP_ERR_MQTT_PROTOCOL', new Error('Invalid header flag bits, must be 0x0 for puback packet')],
    ['STARTUP_ERR_MQTT_TLS', systemError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')],
    ['STARTUP_ERR_MQTT_TLS', systemError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')],
  ])('fails at once with %s', (code, error) => {
    expect(classifyMqttError(error)).toMatchObject({ retryable: false, code });
  });

  it('retries an unresolvable host by default and fails at once when told to', () => {
    const error = systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND broker');
    expect(classifyMqttError(error)).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_MQTT_HOST_NOT_FOUND',
    });
    expect(classifyMqttError(error, { retryUnresolvedHost: false })).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_MQTT_HOST_NOT_FOUND',
    });
  });

  it('retries an unrecognised error under its own code, as core does by default', () => {
    expect(classifyMqttError(refused(151))).toMatchObject({
      retryable: true,
      code: 'STARTUP_ERR_MQTT_FAILED',
      reason: 'CONNACK 151',
    });
    expect(classifyMqttError('a string')).toMatchObject({ retryable: true, reason: 'UNKNOWN' });
  });
});

describe('mqttStartupError', () => {
  const ctx = { plugin: 'telemetry', target: 'mqtt://broker:1883', secrets: ['hunter2'] };

  it('makes a refusing CONNACK not retryable, with a stable code, the target and what to fix', () => {
    const cause = refused(5);
    const error = mqttStartupError(cause, ctx);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_MQTT_AUTH', plugin: 'telemetry', retryable: false });
    expect(error.message).toContain('mqtt://broker:1883');
    expect(error.message).toContain('"password"');
  });

  it('keeps the password out of the message, literal or in a URL', () => {
    const error = mqttStartupError(new Error('failed for mqtt://app:hunter2@broker:1883 with hunter2'), ctx);
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
  });
});
