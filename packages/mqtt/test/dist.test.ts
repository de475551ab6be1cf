import { describe, expect, it } from 'vitest';
import { classifyMqttError, mqtt, mqttDefaults } from '../dist/index.js';

describe('the built package', () => {
  it('makes an mqtt plugin with its defaults, validating options before connecting', () => {
    const plugin = mqtt({ clientId: 'dist-smoke' });
    expect(plugin.name).toBe('mqtt');
    expect(typeof plugin.init).toBe('function');
    expect(typeof plugin.close).toBe('function');
    expect(typeof plugin.healthCheck).toBe('function');
    expect(mqttDefaults.connectTimeoutMs).toBe(3_000);
    expect(() => mqtt({ url: 'http://broker' })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });

  it('classifies errors', () => {
    expect(
      classifyMqttError(Object.assign(new Error('Connection refused: Not authorized'), { code: 5 })),
    ).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_MQTT_AUTH',
    });
  });
});
