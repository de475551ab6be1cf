import { createHook } from 'node:async_hooks';

/** What a Node `Timeout` exposes: `_destroyed` is set once it fired or was cleared. */
interface NodeTimer {
  hasRef?: () => boolean;
  _destroyed?: boolean;
}

/** Timers created since {@link watchHandles} that have neither fired nor been cleared, by async id. */
const pendingTimers = new Map<number, { timer: NodeTimer; stack: string }>();

const timerHook = createHook({
  init(id, type, _trigger, resource) {
    if (type !== 'Timeout') return;
    // Deep enough to get past Node's own timer frames to the code that set it.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 20;
    pendingTimers.set(id, { timer: resource as NodeTimer, stack: new Error().stack ?? '' });
    Error.stackTraceLimit = limit;
  },
  destroy(id) {
    pendingTimers.delete(id);
  },
});

/** What was open when the watch began. */
export interface HandleWatch {
  /** Open TCP and TLS sockets. */
  readonly sockets: number;
  /** Listening TCP servers. */
  readonly servers: number;
}

/** Starts watching: counts the open sockets and servers, and records every timer created from now on. */
export function watchHandles(): HandleWatch {
  pendingTimers.clear();
  timerHook.enable();
  return openCounts();
}

/**
 * Resolves once nothing keeps the process alive that was not there when `watch` began: no more sockets
 * or servers than then, and no referenced timer created since (the test runner's own aside). Closed
 * sockets leave a moment later, so it waits up to `withinMs` (milliseconds, defaults to 1000) for them,
 * then rejects naming what is left and where each timer was set. Ends the watch either way.
 */
export async function expectNothingLeft(watch: HandleWatch, withinMs = 1_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let left = leftSince(watch);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20).unref());
    left = leftSince(watch);
  }
  timerHook.disable();
  pendingTimers.clear();
  if (left.length > 0) throw new Error(`left open since the watch began:\n${left.join('\n')}`);
}

function leftSince(watch: HandleWatch): string[] {
  const now = openCounts();
  const left: string[] = [];
  if (now.sockets > watch.sockets) left.push(`${now.sockets - watch.sockets} socket(s)`);
  if (now.servers > watch.servers) left.push(`${now.servers - watch.servers} server(s)`);
  for (const { timer, stack } of pendingTimers.values()) {
    if (timer._destroyed === true || timer.hasRef?.() === false) continue;
    const frames = callerFrames(stack);
    // The runner's own timers (test and hook timeouts) are set by vitest's code itself.
    if (frames[0] !== undefined && /[/\\]@?vitest[/\\]/.test(frames[0])) continue;
    left.push(`a timer set\n${frames.slice(0, 4).join('\n')}`);
  }
  return left;
}

function openCounts(): HandleWatch {
  const kinds = process.getActiveResourcesInfo();
  return {
    sockets: kinds.filter((k) => k === 'TCPSocketWrap' || k === 'TLSWrap').length,
    servers: kinds.filter((k) => k === 'TCPServerWrap').length,
  };
}

/** The frames of `stack` outside Node's internals and this hook, innermost first: who set the timer. */
function callerFrames(stack: string): string[] {
  const frames = stack.split('\n').slice(1);
  // The hook's own frame is the first; Node's timer internals follow it.
  return frames.slice(1).filter((line) => !/\(node:|at node:/.test(line));
}
