import { describe, expect, it } from 'vitest';
import { amqp, amqpDefaults, classifyAmqpError } from '../dist/index.js';

describe('the built package', () => {
  it('makes an amqp plugin with its defaults, validating options before connecting', () => {
    const plugin = amqp({ connectionName: 'dist-smoke' });
    expect(plugin.name).toBe('amqp');
    expect(typeof plugin.init).toBe('function');
    expect(typeof plugin.close).toBe('function');
    expect(typeof plugin.healthCheck).toBe('function');
    expect(amqpDefaults.heartbeatSeconds).toBe(60);
    expect(() => amqp({ url: 'http://broker' })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });

  it('classifies errors', () => {
    expect(
      classifyAmqpError(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "…"')),
    ).toMatchObject({ retryable: false, code: 'STARTUP_ERR_AMQP_AUTH' });
  });
});
