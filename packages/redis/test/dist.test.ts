import { describe, expect, it } from 'vitest';
import { classifyRedisError, redis, redisDefaults } from '../dist/index.js';

describe('the built package', () => {
  it('makes a redis plugin with its defaults, validating options before connecting', () => {
    const plugin = redis({ connectionName: 'dist-smoke' });
    expect(plugin.name).toBe('redis');
    expect(typeof plugin.init).toBe('function');
    expect(typeof plugin.close).toBe('function');
    expect(typeof plugin.healthCheck).toBe('function');
    expect(redisDefaults.connectTimeoutMs).toBe(3_000);
    expect(() => redis({ url: 'http://cache' })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });

  it('classifies errors', () => {
    expect(classifyRedisError(new Error('NOAUTH Authentication required.'))).toMatchObject({
      retryable: false,
      code: 'STARTUP_ERR_REDIS_AUTH',
    });
  });
});
