import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortable } from './timeout.js';

describe('abortable', () => {
  it('settles like the work when the signal does not abort', async () => {
    const signal = new AbortController().signal;
    await expect(abortable(Promise.resolve(7), signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('boom')), signal)).rejects.toThrow('boom');
  });

  it('rejects with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const pending = abortable(never, controller.signal);
    const reason = new Error('attempt timed out');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects at once for a signal already aborted, without an unhandled rejection of the work', async () => {
    const reason = new Error('cancelled');
    await expect(abortable(Promise.reject(new Error('late')), AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
  });

  it('removes its abort listener once the work settled', async () => {
    const controller = new AbortController();
    await abortable(Promise.resolve(1), controller.signal);
    await abortable(Promise.reject(new Error('x')), controller.signal).catch(() => {});
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
