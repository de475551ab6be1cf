import { createTestClock } from '@startup/test-kit/clock';
import { describe, expect, it, vi } from 'vitest';
import { type BreakerOptions, type BreakerTransition, breakerPolicy, createBreaker } from './breaker.js';
import { isStartupError } from './errors.js';

const ok = () => Promise.resolve('ok');
const boom = new Error('ECONNREFUSED');
const fail = () => Promise.reject(boom);

/** A breaker on a test clock, with every transition recorded. */
function setup(options: BreakerOptions = {}) {
  const clock = createTestClock();
  const breaker = createBreaker({ failureThreshold: 3, openMs: 1_000, ...options, name: 'postgres', clock });
  const transitions: BreakerTransition[] = [];
  breaker.onStateChange((t) => transitions.push(t));
  const failTimes = async (n: number) => {
    for (let i = 0; i < n; i++) await expect(breaker.execute(fail)).rejects.toBe(boom);
  };
  return { clock, breaker, transitions, failTimes };
}

/** A call that stays in flight until `settle(ok)` is called. */
function pending() {
  let settle!: (ok: boolean) => void;
  const fn = vi.fn(
    () =>
      new Promise<string>((resolve, reject) => {
        settle = (ok) => (ok ? resolve('trial ok') : reject(boom));
      }),
  );
  return { fn, settle: (ok: boolean) => settle(ok) };
}

describe('createBreaker', () => {
  it('starts CLOSED and passes calls through', async () => {
    const { breaker, transitions } = setup();
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
    expect(breaker.toJSON()).toEqual({ state: 'CLOSED', failures: 0, retryInMs: 0 });
    expect(transitions).toEqual([]);
  });

  it('opens after failureThreshold consecutive failures, with the error in the event', async () => {
    const { breaker, transitions, failTimes } = setup();
    await failTimes(2);
    expect(breaker.toJSON()).toMatchObject({ state: 'CLOSED', failures: 2 });
    await failTimes(1);
    expect(breaker.state).toBe('OPEN');
    expect(transitions).toEqual([{ from: 'CLOSED', to: 'OPEN', error: boom }]);
  });

  it('counts a synchronous throw as a failure', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const thrower = () => {
      throw boom;
    };
    await expect(breaker.execute(thrower)).rejects.toBe(boom);
    expect(breaker.state).toBe('OPEN');
  });

  it('resets the failure count on a success', async () => {
    const { breaker, failTimes } = setup();
    await failTimes(2);
    await breaker.execute(ok);
    expect(breaker.toJSON().failures).toBe(0);
    await failTimes(2);
    expect(breaker.state).toBe('CLOSED');
  });

  it('rejects cheaply with STARTUP_ERR_BREAKER_OPEN while OPEN, without calling fn', async () => {
    const { breaker, failTimes } = setup();
    await failTimes(3);
    const fn = vi.fn(ok);
    const error = await breaker.execute(fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(isStartupError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_BREAKER_OPEN', plugin: 'postgres' });
    expect((error as Error).message).toContain('"postgres"');
  });

  it('moves OPEN to HALF_OPEN once openMs has passed, on read, with no timer', async () => {
    const { breaker, clock, transitions, failTimes } = setup();
    await failTimes(3);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(999);
    expect(breaker.toJSON()).toMatchObject({ state: 'OPEN', retryInMs: 1 });
    clock.advance(1);
    expect(transitions).toHaveLength(1);
    expect(breaker.state).toBe('HALF_OPEN');
    expect(transitions.at(-1)).toEqual({ from: 'OPEN', to: 'HALF_OPEN' });
    expect(breaker.toJSON()).toMatchObject({ state: 'HALF_OPEN', retryInMs: 0 });
  });

  it('uses the origin defaults: 3 failures open it for 60 s', async () => {
    const clock = createTestClock();
    const breaker = createBreaker({ clock });
    for (let i = 0; i < 2; i++) await breaker.execute(fail).catch(() => {});
    expect(breaker.state).toBe('CLOSED');
    await breaker.execute(fail).catch(() => {});
    expect(breaker.state).toBe('OPEN');
    clock.advance(59_999);
    expect(breaker.state).toBe('OPEN');
    clock.advance(1);
    expect(breaker.state).toBe('HALF_OPEN');
  });

  it('lets at most halfOpenMaxCalls trial calls through at once while HALF_OPEN', async () => {
    const { breaker, clock, failTimes } = setup({ halfOpenMaxCalls: 2, successThreshold: 2 });
    await failTimes(3);
    clock.advance(1_000);
    const a = pending();
    const b = pending();
    const first = breaker.execute(a.fn);
    const second = breaker.execute(b.fn);
    const extra = vi.fn(ok);
    await expect(breaker.execute(extra)).rejects.toMatchObject({ code: 'STARTUP_ERR_BREAKER_OPEN' });
    expect(extra).not.toHaveBeenCalled();
    a.settle(true);
    await first;
    // One trial slot is free again; still HALF_OPEN until successThreshold successes.
    expect(breaker.state).toBe('HALF_OPEN');
    const c = pending();
    const third = breaker.execute(c.fn);
    expect(c.fn).toHaveBeenCalledTimes(1);
    b.settle(true);
    c.settle(true);
    await Promise.all([second, third]);
    expect(breaker.state).toBe('CLOSED');
  });

  it('closes after successThreshold successful trials', async () => {
    const { breaker, clock, transitions, failTimes } = setup({ successThreshold: 2 });
    await failTimes(3);
    clock.advance(1_000);
    await breaker.execute(ok);
    expect(breaker.state).toBe('HALF_OPEN');
    await breaker.execute(ok);
    expect(breaker.toJSON()).toMatchObject({ state: 'CLOSED', failures: 0 });
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
      'CLOSED>OPEN',
      'OPEN>HALF_OPEN',
      'HALF_OPEN>CLOSED',
    ]);
    // The failure count starts afresh after closing.
    await failTimes(2);
    expect(breaker.state).toBe('CLOSED');
  });

  it('reopens on a failed trial and starts a new open period', async () => {
    const { breaker, clock, transitions, failTimes } = setup({ successThreshold: 2 });
    await failTimes(3);
    clock.advance(1_000);
    await breaker.execute(ok);
    clock.advance(300);
    const trialError = new Error('still down');
    await expect(breaker.execute(() => Promise.reject(trialError))).rejects.toBe(trialError);
    expect(transitions.at(-1)).toEqual({ from: 'HALF_OPEN', to: 'OPEN', error: trialError });
    expect(breaker.toJSON()).toMatchObject({ state: 'OPEN', retryInMs: 1_000 });
    clock.advance(1_000);
    // The success counted in the previous HALF_OPEN period does not carry over.
    await breaker.execute(ok);
    expect(breaker.state).toBe('HALF_OPEN');
  });

  it('counts recordSuccess and recordFailure made outside execute', () => {
    const { breaker, clock } = setup({ failureThreshold: 2 });
    breaker.recordFailure(boom);
    breaker.recordSuccess();
    breaker.recordFailure(boom);
    expect(breaker.state).toBe('CLOSED');
    breaker.recordFailure();
    expect(breaker.state).toBe('OPEN');
    clock.advance(1_000);
    breaker.recordSuccess();
    expect(breaker.state).toBe('CLOSED');
  });

  it('stops notifying a listener after its disposer is called, and twice is harmless', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const listener = vi.fn();
    const off = breaker.onStateChange(listener);
    off();
    off();
    await breaker.execute(fail).catch(() => {});
    expect(breaker.state).toBe('OPEN');
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps working when a listener throws', async () => {
    const { breaker, transitions } = setup({ failureThreshold: 1 });
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    await expect(breaker.execute(fail)).rejects.toBe(boom);
    expect(breaker.state).toBe('OPEN');
    expect(transitions).toHaveLength(1);
  });

  it('serialises its state with the wall time of the last transition', async () => {
    const { breaker, clock, failTimes } = setup();
    clock.advance(2_500);
    await failTimes(3);
    clock.advance(250);
    expect(JSON.parse(JSON.stringify(breaker))).toEqual({
      state: 'OPEN',
      failures: 3,
      retryInMs: 750,
      since: '2024-01-01T00:00:02.500Z',
    });
  });

  it('goes back to CLOSED with no failures on reset', async () => {
    const { breaker, transitions, failTimes } = setup();
    await failTimes(3);
    breaker.reset();
    expect(breaker.toJSON()).toMatchObject({ state: 'CLOSED', failures: 0, retryInMs: 0 });
    expect(transitions.at(-1)).toEqual({ from: 'OPEN', to: 'CLOSED' });
    await expect(breaker.execute(ok)).resolves.toBe('ok');
  });

  it('forgets counted failures on reset while CLOSED', async () => {
    const { breaker, failTimes } = setup();
    await failTimes(2);
    breaker.reset();
    expect(breaker.toJSON().failures).toBe(0);
    await failTimes(1);
    expect(breaker.state).toBe('CLOSED');
  });

  it('does not let a trial from an earlier HALF_OPEN period close the circuit or take a trial slot', async () => {
    const { breaker, clock, failTimes } = setup({ halfOpenMaxCalls: 2 });
    await failTimes(3);
    clock.advance(1_000);
    const stale = pending();
    const staleCall = breaker.execute(stale.fn);
    await expect(breaker.execute(fail)).rejects.toBe(boom); // reopens
    clock.advance(1_000);
    const c = pending();
    const d = pending();
    const calls = [breaker.execute(c.fn), breaker.execute(d.fn)];
    stale.settle(true);
    await staleCall;
    expect(breaker.state).toBe('HALF_OPEN');
    const e = vi.fn(ok);
    await expect(breaker.execute(e)).rejects.toMatchObject({ code: 'STARTUP_ERR_BREAKER_OPEN' });
    expect(e).not.toHaveBeenCalled();
    c.settle(true);
    d.settle(true);
    await Promise.all(calls);
  });
});

describe('breakerPolicy', () => {
  it('fills in the defaults', () => {
    expect(breakerPolicy()).toEqual({
      failureThreshold: 3,
      openMs: 60_000,
      halfOpenMaxCalls: 1,
      successThreshold: 1,
    });
  });

  it.each<[BreakerOptions, string]>([
    [{ failureThreshold: 0 }, 'breaker.failureThreshold'],
    [{ failureThreshold: 1.5 }, 'breaker.failureThreshold'],
    [{ failureThreshold: Number.NaN }, 'breaker.failureThreshold'],
    [{ openMs: -1 }, 'breaker.openMs'],
    [{ openMs: Number.NaN }, 'breaker.openMs'],
    [{ openMs: Number.POSITIVE_INFINITY }, 'breaker.openMs'],
    [{ halfOpenMaxCalls: 0 }, 'breaker.halfOpenMaxCalls'],
    [{ successThreshold: 0 }, 'breaker.successThreshold'],
    [{ successThreshold: '2' as never }, 'breaker.successThreshold'],
    [{ threshold: 3 } as never, 'breaker.threshold'],
  ])('rejects %o with STARTUP_ERR_INVALID_OPTION naming %s', (options, field) => {
    expect(() => createBreaker(options)).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining(`"${field}"`),
      }),
    );
  });

  it('names the plugin and uses the given prefix', () => {
    expect(() => breakerPolicy({ openMs: -5 }, { field: 'plugins.redis.breaker', plugin: 'redis' })).toThrow(
      expect.objectContaining({
        plugin: 'redis',
        message: expect.stringContaining('"plugins.redis.breaker.openMs" of plugin "redis"'),
      }),
    );
  });
});
