// @ts-check
import { createHook } from 'node:async_hooks';

/**
 * What keeps the process alive, by kind (`TCPSocketWrap`, `Timeout`, `TCPServerWrap`…), from
 * `process.getActiveResourcesInfo()` (unref'd timers are not in it).
 * @returns {Record<string, number>}
 */
export function activeHandles() {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * Watches for handles that keep the process alive and were not there when the watch began.
 * @typedef {object} HandleWatch
 * @property {() => Record<string, number>} above Kinds above the baseline now, and how many more.
 * @property {(withinMs?: number) => Promise<Record<string, number>>} left Waits (at most `withinMs`, 1000 by
 *   default) until nothing is above the baseline: a destroyed socket is released a loop turn or two later.
 *   Resolves with what is still above it (`{}` when clean).
 * @property {() => string[]} timerOrigins Where the live timers counted in `above()` were created (a few frames each).
 * @property {() => void} dispose Stops watching.
 */

/**
 * Starts a {@link HandleWatch}. Sockets, servers and the like are compared by count with the baseline.
 * Timers are tracked one by one from now on (an async hook), so a timer the test runner clears cannot
 * hide one a connector left running; timers created by vitest itself are not counted.
 * @returns {HandleWatch}
 */
export function watchHandles() {
  const baseline = activeHandles();
  delete baseline.Timeout;
  /** @type {Map<number, { timer: { _destroyed?: boolean, hasRef?: () => boolean }, stack: string }>} */
  const timers = new Map();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      timers.set(id, { timer: /** @type {any} */ (resource), stack });
    },
    destroy(id) {
      timers.delete(id);
    },
  });
  hook.enable();

  const liveTimers = () =>
    [...timers.values()].filter(
      ({ timer, stack }) =>
        timer._destroyed !== true && timer.hasRef?.() !== false && !/[/@]vitest[/@]/.test(stack),
    );

  const above = () => {
    /** @type {Record<string, number>} */
    const extra = {};
    for (const [kind, count] of Object.entries(activeHandles())) {
      if (kind === 'Timeout') continue;
      if (count > (baseline[kind] ?? 0)) extra[kind] = count - (baseline[kind] ?? 0);
    }
    const live = liveTimers().length;
    if (live > 0) extra.Timeout = live;
    return extra;
  };

  return {
    above,
    async left(withinMs = 1_000) {
      const until = Date.now() + withinMs;
      let extra = above();
      for (let turn = 0; Object.keys(extra).length > 0 && turn < 4; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        extra = above();
      }
      while (Object.keys(extra).length > 0 && Date.now() < until) {
        // Unref'd: waiting must not itself keep anything alive.
        await new Promise((resolve) => setTimeout(resolve, 10).unref());
        extra = above();
      }
      return extra;
    },
    timerOrigins() {
      return liveTimers().map(({ stack }) =>
        stack
          .split('\n')
          .filter(
            (line) =>
              (line.includes('node_modules') || line.includes('/packages/')) &&
              !line.includes('active-handles'),
          )
          .slice(0, 3)
          .map((line) => line.trim())
          .join(' ← '),
      );
    },
    dispose() {
      hook.disable();
      timers.clear();
    },
  };
}
