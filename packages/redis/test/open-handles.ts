import { createHook } from 'node:async_hooks';
import { expect } from 'vitest';

/** Timers created since {@link watchHandles} that have neither fired nor been cleared, by creation id. */
const pendingTimers = new Map<number, { timer: NodeTimer; stack: string }>();

/** What a Node `Timeout` exposes: `_destroyed` is set once it fired or was cleared. */
interface NodeTimer {
  hasRef?: () => boolean;
  _destroyed?: boolean;
}
const timerHook = createHook({
  init(id, type, _trigger, resource) {
    if (type === 'Timeout') {
      pendingTimers.set(id, {
        timer: resource as { hasRef?: () => boolean },
        stack: new Error().stack ?? '',
      });
    }
  },
  destroy(id) {
    pendingTimers.delete(id);
  },
});

/** What was open when the watch began. */
export interface HandleWatch {
  sockets: number;
  servers: number;
}

/** Starts watching: counts open sockets and servers, and records every timer created from now on. */
export function watchHandles(): HandleWatch {
  pendingTimers.clear();
  timerHook.enable();
  return watchCounts();
}

/**
 * Asserts that nothing keeps the process alive that was not there when the watch began: no extra socket or
 * server, and no referenced timer created since (the test runner's own timers aside).
 */
export function expectNothingLeft(before: HandleWatch): void {
  const now = watchCounts();
  timerHook.disable();
  const timers = [...pendingTimers.values()]
    .filter(
      ({ timer, stack }) =>
        timer._destroyed !== true && timer.hasRef?.() !== false && !stack.includes('@vitest'),
    )
    .map(({ stack }) => stack.split('\n').slice(5, 11).join('\n'));
  pendingTimers.clear();
  expect({ ...now, timers }).toEqual({ ...before, timers: [] });
}

function watchCounts(): HandleWatch {
  const kinds = process.getActiveResourcesInfo();
  return {
    sockets: kinds.filter((k) => k === 'TCPSocketWrap' || k === 'TLSWrap').length,
    servers: kinds.filter((k) => k === 'TCPServerWrap').length,
  };
}
