import { describe, expect, it } from 'vitest';
// The built output, on purpose: this is what users import.
import { classifyNatsError, nats, natsDefaults } from '../dist/index.js';

describe('@startup/nats (built)', () => {
  it('makes a plugin named "nats" with its hooks', () => {
    const plugin = nats();
    expect(plugin.name).toBe('nats');
    expect(typeof plugin.init).toBe('function');
    expect(typeof plugin.close).toBe('function');
    expect(typeof plugin.healthCheck).toBe('function');
    expect(natsDefaults.pingIntervalMs).toBe(120_000);
  });

  it('validates options with a coded error', () => {
    expect(() => nats({ servers: 'http://bus:4222' })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });

  it('classifies errors', () => {
    expect(classifyNatsError(new Error('Authorization Violation')).code).toBe('STARTUP_ERR_NATS_AUTH');
  });
});
