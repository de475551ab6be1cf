import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { createStartup } from './runner.js';

const answer = { name: 'answer', init: () => 42 };

/** The error `createStartup` throws for `options`. */
function rejection(options: unknown, plugins: object[] = [answer]) {
  try {
    createStartup(plugins as never, options as never);
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createStartup options', () => {
  it.each([
    ['clock', { clock: { now: () => 0 } }],
    ['clock', { clock: false }],
    ['random', { random: 0.5 }],
    ['logger', { logger: { info() {} } }],
    ['defaults', { defaults: null }],
    ['health', { health: 'fast' }],
    ['defaults.retry', { defaults: { retry: null } }],
    ['defaults.breaker', { defaults: { breaker: 3 } }],
    ['options', [{}]],
  ])('rejects a bad %s naming it', (field, options) => {
    expect(rejection(options)).toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining(`"${field}"`),
    });
  });

  it.each([
    ['deadline', { deadline: 5_000 }],
    ['defaults.attemptTimeout', { defaults: { attemptTimeout: 5_000 } }],
    ['health.timeout', { health: { timeout: 5_000 } }],
    ['health', { health: { 'time"out': 5_000 } }],
    ['defaults.retry.maxAttempt', { defaults: { retry: { maxAttempt: 3 } } }],
    ['defaults.breaker.threshold', { defaults: { breaker: { threshold: 3 } } }],
  ])('rejects the misspelt option %s instead of ignoring it', (field, options) => {
    expect(rejection(options)).toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      message: expect.stringContaining(`"${field}"`),
    });
  });

  it.each([
    ['retry', { retry: 'fast' }],
    ['retry', { retry: true }],
    ['breaker', { breaker: 'x' }],
    ['breaker', { breaker: 42 }],
    ['retry.maxAttempt', { retry: { maxAttempt: 3 } }],
    ['breaker.resetTimeoutMs', { breaker: { resetTimeoutMs: 1 } }],
    ['timeouts.attempMs', { timeouts: { attempMs: 1 } }],
    ['retry.jitter', { retry: { jitter: { proportional: 0.2, additiveMs: 100 } } }],
    ['optional', { optional: 'yes' }],
    ['timeouts', { timeouts: [] }],
    ['dependOn', { dependOn: ['db'] }],
  ])("rejects a plugin's bad %s, naming the plugin", (field, plugin) => {
    expect(rejection({}, [{ ...answer, ...plugin }])).toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      plugin: 'answer',
      message: expect.stringContaining(`"${field}"`),
    });
  });

  it.each([['  '], ['db\u001b[31mX'], ['line\nbreak'], ['db\u2028x'], ['db\u202ex']])(
    'rejects the plugin name %j',
    (name) => {
      expect(rejection({}, [{ ...answer, name }])).toMatchObject({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('"plugins[0].name"'),
      });
    },
  );

  it("rejects a plugin's timeouts that are not an object, naming the plugin", () => {
    expect(rejection({}, [{ ...answer, timeouts: null }])).toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
      plugin: 'answer',
      message: expect.stringContaining('"timeouts"'),
    });
  });

  it('waits 24.8 days instead of 1 ms for a delay beyond what a Node timer holds', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fired = vi.fn();
    systemClock.setTimeout(fired, 2 ** 31);
    vi.advanceTimersByTime(1_000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toHaveBeenCalledOnce();
  });
});
