import { sleep } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { createTestClock } from './fake-clock.js';

describe('createTestClock', () => {
  it('stands still until advanced and keeps wall time in step with monotonic time', () => {
    const clock = createTestClock({ startMs: 500, wallStartMs: Date.UTC(2030, 0, 1) });
    expect(clock.now()).toBe(500);
    expect(clock.now()).toBe(500);
    clock.advance(1_500);
    expect(clock.now()).toBe(2_000);
    expect(new Date(clock.wallNow()).toISOString()).toBe('2030-01-01T00:00:01.500Z');
  });

  it('starts at 0 and 2024-01-01 by default', () => {
    const clock = createTestClock();
    expect(clock.now()).toBe(0);
    expect(new Date(clock.wallNow()).toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('fires timers in due order, ties in scheduling order, with now() at their due time', () => {
    const clock = createTestClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 10);
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(100);
    expect(fired).toEqual(['a@10', 'b@10', 'c@30']);
    expect(clock.now()).toBe(109);
  });

  it('fires timers scheduled by a callback when they fall due within the same advance', () => {
    const clock = createTestClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
      clock.setTimeout(() => fired.push(clock.now()), 50);
    }, 10);
    clock.advance(20);
    expect(fired).toEqual([10, 15]);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(60);
  });

  it('does not fire a cleared timer and ignores unknown handles', () => {
    const clock = createTestClock();
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(handle);
    clock.clearTimeout(handle);
    clock.clearTimeout(undefined);
    clock.clearTimeout(42);
    clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.nextTimerAt()).toBeUndefined();
  });

  it('treats a negative delay as 0 and rejects NaN or Infinity', () => {
    const clock = createTestClock();
    let fired = 0;
    clock.setTimeout(() => fired++, -5);
    clock.advance(0);
    expect(fired).toBe(1);
    expect(() => clock.setTimeout(() => {}, Number.NaN)).toThrow(RangeError);
    expect(() => clock.setTimeout(() => {}, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('refuses to move backwards or by a non-finite step', async () => {
    const clock = createTestClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    await expect(clock.advanceAsync(Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(0);
  });

  it('propagates an error thrown by a timer callback out of advance', () => {
    const clock = createTestClock();
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    expect(() => clock.advance(5)).toThrow('boom');
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets chained async code schedule its next timer within one advanceAsync', async () => {
    const clock = createTestClock();
    const woke: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(100, undefined, clock);
        await Promise.resolve();
        woke.push(clock.now());
      }
    })();
    await clock.advanceAsync(250);
    expect(woke).toEqual([100, 200]);
    await clock.advanceAsync(50);
    await loop;
    expect(woke).toEqual([100, 200, 300]);
    expect(clock.now()).toBe(300);
  });

  it('runs every timer with runAllAsync and reports how many fired', async () => {
    const clock = createTestClock();
    const done = (async () => {
      await sleep(1_000, undefined, clock);
      await sleep(2_000, undefined, clock);
    })();
    expect(await clock.runAllAsync()).toBe(2);
    await done;
    expect(clock.now()).toBe(3_000);
  });

  it('stops runAllAsync when a timer keeps re-arming itself', async () => {
    const clock = createTestClock();
    const rearm = () => clock.setTimeout(rearm, 1);
    rearm();
    await expect(clock.runAllAsync(50)).rejects.toThrow(/more than 50 timers/);
  });

  it('moves time without firing timers on block, and fires the overdue ones on the next advance', () => {
    const clock = createTestClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 10);
    clock.block(50);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(50);
    clock.advance(1);
    expect(fired).toEqual([50]);
    expect(() => clock.block(-1)).toThrow(RangeError);
  });
});
