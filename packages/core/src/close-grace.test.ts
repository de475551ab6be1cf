import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ClosingConnections, closeWithGrace } from './close-grace.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** `count` open connections: each closes when `finish()` is called for it, or all at once when destroyed. */
function pool(count: number) {
  let open = count;
  let allClosed = () => {};
  const closed = new Promise<void>((resolve) => {
    allClosed = resolve;
  });
  const destroyed: number[] = [];
  const finish = (n = 1) => {
    open -= n;
    if (open === 0) allClosed();
  };
  const connections: ClosingConnections = {
    closed,
    open: () => open,
    destroy() {
      destroyed.push(open);
      if (open > 0) finish(open);
    },
  };
  return { connections, finish, destroyed };
}

/** `'settled'` once `promise` has settled by now (pending microtasks run), `'pending'` otherwise. */
async function state(promise: Promise<unknown>): Promise<string> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await vi.advanceTimersByTimeAsync(0);
  return settled ? 'settled' : 'pending';
}

describe('closeWithGrace', () => {
  it('waits for connections that close within the grace, destroying none', async () => {
    const { connections, finish, destroyed } = pool(2);
    const onGraceOver = vi.fn();
    const closing = closeWithGrace(connections, { graceMs: 1_000, onGraceOver });
    finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(await state(closing)).toBe('pending');
    finish();
    expect(await state(closing)).toBe('settled');
    expect(destroyed).toEqual([]);
    expect(onGraceOver).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('destroys what is still open once the grace is over, saying how many', async () => {
    const { connections, finish, destroyed } = pool(3);
    const onGraceOver = vi.fn();
    const closing = closeWithGrace(connections, { graceMs: 1_000, onGraceOver });
    finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(destroyed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await state(closing)).toBe('settled');
    expect(onGraceOver.mock.calls).toEqual([[2]]);
    expect(destroyed).toEqual([2]);
  });

  it('destroys at once, without a warning, with a grace of 0', async () => {
    const { connections, destroyed } = pool(2);
    const onGraceOver = vi.fn();
    expect(await state(closeWithGrace(connections, { graceMs: 0, onGraceOver }))).toBe('settled');
    expect(destroyed).toEqual([2]);
    expect(onGraceOver).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('destroys at once when the signal aborts during the grace, and stops listening to it', async () => {
    const { connections, destroyed } = pool(1);
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const onGraceOver = vi.fn();
    const closing = closeWithGrace(connections, { graceMs: 60_000, signal: controller.signal, onGraceOver });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('close timed out'));
    expect(await state(closing)).toBe('settled');
    expect(destroyed).toEqual([1]);
    expect(onGraceOver).not.toHaveBeenCalled();
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('destroys at once when the signal has already aborted', async () => {
    const { connections, destroyed } = pool(1);
    const signal = AbortSignal.abort();
    expect(await state(closeWithGrace(connections, { graceMs: 60_000, signal }))).toBe('settled');
    expect(destroyed).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives no warning when the last connection closed just as the grace ran out', async () => {
    const { connections, destroyed } = pool(1);
    const onGraceOver = vi.fn();
    // Counted closed, but `closed` not yet observed by the close: the grace's timer fires first.
    const open = vi.spyOn(connections, 'open').mockReturnValue(0);
    const closing = closeWithGrace(connections, { graceMs: 100, onGraceOver });
    await vi.advanceTimersByTimeAsync(100);
    expect(open).toHaveBeenCalled();
    expect(onGraceOver).not.toHaveBeenCalled();
    expect(destroyed).toEqual([1]);
    expect(await state(closing)).toBe('settled');
  });
});
