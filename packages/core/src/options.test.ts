import { describe, expect, it } from 'vitest';
import { isStartupError } from './errors.js';
import { checkDuration, checkFunction, checkInteger, checkNumber } from './options.js';

/** The error `fn` throws, which must be an invalid-option error naming `field`. */
function invalid(fn: () => unknown, field: string) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isStartupError(caught)).toBe(true);
  expect(caught).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION', retryable: false });
  expect((caught as Error).message).toContain(`"${field}"`);
  return caught as Error & { plugin?: string };
}

describe('checkDuration', () => {
  it('returns the fallback for undefined and the value otherwise', () => {
    expect(checkDuration('t', undefined, 250)).toBe(250);
    expect(checkDuration('t', 0, 250)).toBe(0);
    expect(checkDuration('t', 1.5, 250)).toBe(1.5);
  });

  it.each([
    ['a negative number', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a string', '100'],
    ['null', null],
  ])('rejects %s', (_, value) => {
    invalid(() => checkDuration('timeouts.attemptMs', value, 0), 'timeouts.attemptMs');
  });

  it('rejects 0 when positive', () => {
    invalid(() => checkDuration('health.timeoutMs', 0, 1, { positive: true }), 'health.timeoutMs');
    expect(checkDuration('health.timeoutMs', 0.1, 1, { positive: true })).toBe(0.1);
  });

  it('accepts Infinity, and only +Infinity, when allowInfinity', () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(checkDuration('deadlineMs', inf, 0, { allowInfinity: true })).toBe(inf);
    invalid(() => checkDuration('deadlineMs', -inf, 0, { allowInfinity: true }), 'deadlineMs');
    invalid(() => checkDuration('deadlineMs', Number.NaN, 0, { allowInfinity: true }), 'deadlineMs');
  });

  it('names the plugin and what it expected', () => {
    const error = invalid(() => checkDuration('closeMs', -5, 0, { plugin: 'redis' }), 'closeMs');
    expect(error.plugin).toBe('redis');
    expect(error.message).toContain('of plugin "redis"');
    expect(error.message).toContain('non-negative number of milliseconds');
    expect(error.message).toContain('got -5');
  });
});

describe('checkInteger', () => {
  it('returns the fallback for undefined and accepts integers ≥ 1 by default', () => {
    expect(checkInteger('n', undefined, 3)).toBe(3);
    expect(checkInteger('n', 1, 3)).toBe(1);
    expect(checkInteger('n', 1_000_000, 3)).toBe(1_000_000);
  });

  it.each([
    ['zero', 0],
    ['a negative integer', -2],
    ['a fraction', 2.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '3'],
  ])('rejects %s', (_, value) => {
    invalid(() => checkInteger('breaker.failureThreshold', value, 3), 'breaker.failureThreshold');
  });

  it('honours min and max', () => {
    expect(checkInteger('n', 0, 1, { min: 0 })).toBe(0);
    expect(checkInteger('n', 10, 1, { max: 10 })).toBe(10);
    const error = invalid(() => checkInteger('n', 11, 1, { max: 10 }), 'n');
    expect(error.message).toContain('between 1 and 10');
  });

  it('accepts Infinity when allowInfinity', () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(checkInteger('retry.maxAttempts', inf, 1, { allowInfinity: true })).toBe(inf);
    invalid(() => checkInteger('retry.maxAttempts', 0, 1, { allowInfinity: true }), 'retry.maxAttempts');
  });
});

describe('checkNumber', () => {
  it('returns the fallback for undefined and accepts finite numbers in range', () => {
    expect(checkNumber('f', undefined, 0.5)).toBe(0.5);
    expect(checkNumber('f', -3.5, 0)).toBe(-3.5);
    expect(checkNumber('f', 1, 0, { min: 0, max: 1 })).toBe(1);
    expect(checkNumber('f', 0, 1, { min: 0, max: 1 })).toBe(0);
  });

  it.each([
    ['below min', 0.5],
    ['above max', 101],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '2'],
  ])('rejects a value %s', (_, value) => {
    const error = invalid(
      () => checkNumber('retry.multiplier', value, 2, { min: 1, max: 100 }),
      'retry.multiplier',
    );
    expect(error.message).toContain('between 1 and 100');
  });
});

describe('checkFunction', () => {
  it('returns the function or undefined', () => {
    const fn = () => true;
    expect(checkFunction('retry.retryable', fn)).toBe(fn);
    expect(checkFunction('retry.retryable', undefined)).toBeUndefined();
  });

  it('rejects anything else, naming the plugin', () => {
    const error = invalid(
      () => checkFunction('retry.retryable', 'yes', { plugin: 'nats' }),
      'retry.retryable',
    );
    expect(error.plugin).toBe('nats');
  });
});
