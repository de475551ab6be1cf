import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { handleSignals } from './signals.js';

function fakeProcess() {
  const emitter = new EventEmitter() as EventEmitter & { exit: (code?: number) => never };
  emitter.exit = vi.fn() as never;
  return emitter;
}

describe('handleSignals', () => {
  it('runs one graceful stop on the first signal, without exiting unless asked', async () => {
    const proc = fakeProcess();
    const stop = vi.fn(async (_options?: { reason?: string }) => {});
    const onShutdown = vi.fn();
    handleSignals({ stop }, { process: proc as never, onShutdown });
    proc.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => expect(onShutdown).toHaveBeenCalledWith());
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stop.mock.calls[0]![0]).toMatchObject({ reason: 'SIGTERM' });
    expect(proc.exit).not.toHaveBeenCalled();
    expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT')).toBe(0);
  });

  it('forces on a second signal: aborts the closes and exits with 1 when exit is on', async () => {
    const proc = fakeProcess();
    let force: AbortSignal | undefined;
    const stop = vi.fn((options?: { force?: AbortSignal }) => {
      force = options?.force;
      return new Promise<void>(() => {});
    });
    handleSignals({ stop }, { process: proc as never, exit: true });
    proc.emit('SIGINT', 'SIGINT');
    expect(force?.aborted).toBe(false);
    proc.emit('SIGINT', 'SIGINT');
    expect(force?.aborted).toBe(true);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(proc.exit).toHaveBeenCalledWith(1);
  });

  it('exits with 0 after a clean stop and 1 after a failed one when exit is on', async () => {
    for (const [outcome, code] of [
      [() => Promise.resolve(), 0],
      [() => Promise.reject(new Error('close failed')), 1],
    ] as const) {
      const proc = fakeProcess();
      const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
      handleSignals({ stop: outcome }, { process: proc as never, exit: true });
      proc.emit('SIGTERM', 'SIGTERM');
      await vi.waitFor(() => expect(proc.exit).toHaveBeenCalledWith(code));
      spy.mockRestore();
    }
  });

  it('keeps its listeners installed from the first signal until disposed, so no signal meets the default action', async () => {
    const proc = fakeProcess();
    const removed: string[] = [];
    proc.on('removeListener', (event: string) => removed.push(event));
    let finish!: () => void;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const onShutdown = vi.fn();
    handleSignals({ stop }, { process: proc as never, onShutdown });
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGTERM', 'SIGTERM'] as const) {
      proc.emit(signal, signal);
      expect(proc.listenerCount('SIGTERM'), signal).toBe(1);
      expect(proc.listenerCount('SIGINT'), signal).toBe(1);
    }
    expect(removed).toEqual([]);
    expect(stop).toHaveBeenCalledTimes(1);
    finish();
    await vi.waitFor(() => expect(onShutdown).toHaveBeenCalled());
    expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT')).toBe(0);
  });

  it('removes its handlers when disposed', () => {
    const proc = fakeProcess();
    const dispose = handleSignals({ stop: async () => {} }, { process: proc as never });
    expect(proc.listenerCount('SIGTERM')).toBe(1);
    dispose();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });
});
