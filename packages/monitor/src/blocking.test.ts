import { createTestClock } from '@startup/test-kit/clock';
import { describe, expect, it } from 'vitest';
import { FakeApp } from '../test/fake-app.js';
import { monitorBlocking } from './blocking.js';

const setup = () => {
  const app = new FakeApp();
  const clock = createTestClock();
  const blocking = monitorBlocking(app, { clock, intervalMs: 10, thresholdMs: 20, histogram: false });
  return { app, clock, blocking };
};

describe('monitorBlocking', () => {
  it('attributes a synchronous block to the plugin whose attempt ran through it', () => {
    const { app, clock, blocking } = setup();
    clock.advance(10);
    app.emit('plugin:attempt', { plugin: 'config', attempt: 1, atMs: 10 });
    clock.block(200);
    app.emit('plugin:ready', { plugin: 'config', attempts: 1, durationMs: 200 });
    app.emit('plugin:attempt', { plugin: 'postgres', attempt: 1, atMs: 210 });
    clock.advance(1);
    const r = blocking.report();
    expect(r.totalMs).toBe(190);
    expect(r.perPlugin).toEqual({ config: 190 });
    expect(r.blocks).toEqual([{ atMs: 210, durationMs: 190, plugins: ['config'] }]);
  });

  it('shares a block evenly between attempts running all through it', () => {
    const { app, clock, blocking } = setup();
    app.emit('plugin:attempt', { plugin: 'a', attempt: 1, atMs: 0 });
    app.emit('plugin:attempt', { plugin: 'b', attempt: 1, atMs: 0 });
    clock.advance(5);
    clock.block(100);
    clock.advance(5);
    expect(blocking.report().perPlugin).toEqual({ a: 47.5, b: 47.5 });
  });

  it('ignores lag under the threshold and plugins waiting in backoff', () => {
    const { app, clock, blocking } = setup();
    app.emit('plugin:attempt', { plugin: 'redis', attempt: 1, atMs: 0 });
    clock.advance(10);
    app.emit('plugin:retry', {
      plugin: 'redis',
      attempt: 1,
      delayMs: 500,
      error: { name: 'Error', message: 'refused' },
    });
    app.emit('plugin:attempt', { plugin: 'nats', attempt: 1, atMs: 10 });
    clock.block(15);
    clock.advance(10);
    expect(blocking.report().totalMs).toBe(0);
    clock.block(50);
    clock.advance(10);
    expect(blocking.report().perPlugin).toEqual({ nats: 40 });
  });

  it('counts a block nobody was running during, without a plugin', () => {
    const { clock, blocking } = setup();
    clock.advance(10);
    clock.block(40);
    clock.advance(1);
    expect(blocking.report()).toMatchObject({ totalMs: 30, perPlugin: {}, blocks: [{ plugins: [] }] });
  });

  it('stops on startup:ready, catching a block not yet sampled, and leaves no timer or listener', () => {
    const { app, clock, blocking } = setup();
    app.emit('plugin:attempt', { plugin: 'a', attempt: 1, atMs: 0 });
    clock.advance(3);
    clock.block(60);
    app.emit('plugin:ready', { plugin: 'a', attempts: 1, durationMs: 63 });
    app.emit('startup:ready', { report: undefined as never });
    expect(clock.pendingTimers).toBe(0);
    expect(app.listenerCount()).toBe(0);
    const final = blocking.report();
    expect(final.perPlugin).toEqual({ a: 53 });
    clock.block(500);
    clock.advance(100);
    expect(blocking.stop()).toBe(final);
  });

  it('leaves the perf_hooks figures out when the histogram is off or has no sample yet', () => {
    const { blocking } = setup();
    expect(Object.keys(blocking.stop())).toEqual(['totalMs', 'perPlugin', 'blocks']);
    const real = monitorBlocking(new FakeApp());
    expect(Object.keys(real.stop())).toEqual(['totalMs', 'perPlugin', 'blocks']);
  });

  it('rejects bad options naming the field', () => {
    expect(() => monitorBlocking(new FakeApp(), { intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => monitorBlocking(new FakeApp(), { thresholdMs: -1 })).toThrow(/thresholdMs/);
  });
});
