import { neverAborts } from './clock.js';
import { invalidOption, StartupError } from './errors.js';
import { type Disposer, Emitter } from './events.js';
import { checkString } from './option-strings.js';
import { checkInteger, checkObject } from './options.js';

const brand = Symbol.for('@startup/core.bulkhead');

/** Options of {@link createBulkhead}. */
export interface BulkheadOptions {
  /** How many calls may run at once; an integer ≥ 1. Required. */
  maxConcurrent: number;
  /**
   * How many calls may wait for a place, an integer ≥ 0 or `Infinity`; a call beyond it is rejected at once with
   * `STARTUP_ERR_BULKHEAD_FULL`. Defaults to `Infinity`: at start-up, waiting is better than failing.
   */
  maxQueue?: number;
  /** Shown in errors and `toJSON()`, e.g. the backend the calls share ("postgres"). Defaults to "bulkhead". */
  name?: string;
}

/** What a call run by a bulkhead receives. */
export interface BulkheadContext {
  /** The signal given to `execute`, or one that never aborts. */
  readonly signal: AbortSignal;
}

/** A serialisable view of a bulkhead: its limits and how many calls run and wait now. */
export interface BulkheadSnapshot {
  /** The bulkhead's `name` option; `"bulkhead"` when none was given. */
  name: string;
  /** How many calls may run at once (the `maxConcurrent` option): an integer ≥ 1, no default. */
  maxConcurrent: number;
  /**
   * How many calls may wait for a place (the `maxQueue` option): an integer ≥ 0, or `null` for `Infinity` (the
   * default; JSON has no infinity).
   */
  maxQueue: number | null;
  /** Calls running when the snapshot was taken, at most `maxConcurrent`. */
  running: number;
  /** Calls waiting for a place when the snapshot was taken, at most `maxQueue`. */
  queued: number;
}

/**
 * Caps how many calls to one backend run at once (cockatiel's bulkhead, with its queue). Calls beyond
 * `maxConcurrent` wait in FIFO order; beyond `maxQueue` waiting, they are rejected at once. Share one between the
 * plugins that reach the same database (the plugin field `bulkhead`) so they do not all handshake at once.
 */
export interface Bulkhead {
  /** Shown in errors and `toJSON()`: the `name` option; defaults to `"bulkhead"`. */
  readonly name: string;
  /** How many calls may run at once: the `maxConcurrent` option, an integer ≥ 1 (required, no default). */
  readonly maxConcurrent: number;
  /** How many calls may wait for a place: the `maxQueue` option, an integer ≥ 0; defaults to `Infinity`. */
  readonly maxQueue: number;
  /** Calls running now, at most `maxConcurrent`. */
  readonly running: number;
  /** Calls waiting for a place now, in FIFO order, at most `maxQueue`. */
  readonly queued: number;
  /**
   * Runs `fn` once a place is free, and frees it when `fn` settles. Rejects with `STARTUP_ERR_BULKHEAD_FULL`
   * (retryable) when the queue is full, or with `signal`'s reason when it aborts while the call waits (the call
   * leaves the queue; once running, `fn` gets the signal and decides).
   */
  execute<T>(fn: (ctx: BulkheadContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
  /**
   * Waits for a place like `execute` and resolves with the function that frees it (calling it twice is harmless).
   * For callers whose work does not fit in one function.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Called with the error of each call rejected because the queue was full; returns a disposer. */
  onReject(listener: (error: StartupError) => void): Disposer;
  /** Its limits and how many calls run and wait now, safe to serialise (`maxQueue: Infinity` becomes `null`). */
  toJSON(): BulkheadSnapshot;
}

/**
 * Creates a {@link Bulkhead}. Throws `STARTUP_ERR_INVALID_OPTION` naming the field for a bad option.
 * `createBulkhead({ maxConcurrent: 4, name: 'postgres' })`.
 */
export function createBulkhead(options: BulkheadOptions): Bulkhead {
  const given = checkObject('options', options, undefined, ['maxConcurrent', 'maxQueue', 'name']);
  if (given.maxConcurrent === undefined) throw invalidOption('maxConcurrent', 'an integer ≥ 1', undefined);
  const maxConcurrent = checkInteger('maxConcurrent', given.maxConcurrent, 1);
  const maxQueue = checkInteger('maxQueue', given.maxQueue, Infinity, {
    min: 0,
    allowInfinity: true,
  });
  const name = checkString('name', given.name, 'bulkhead');
  const rejected = new Emitter<{ reject: StartupError }>();
  // Waiters in arrival order, a doubly linked list: taking the first and removing one that leaves (its signal
  // aborted) are both O(1), and a queued call costs one node and the promise it waits on.
  let first: Waiter | undefined;
  let last: Waiter | undefined;
  let queued = 0;
  let running = 0;

  const unlink = (waiter: Waiter) => {
    const { prev, next } = waiter;
    if (prev) prev.next = next;
    else first = next;
    if (next) next.prev = prev;
    else last = prev;
    queued--;
  };
  // A freed place goes straight to the first waiter (`running` unchanged), or back to the pool.
  const release = () => {
    const waiter = first;
    if (waiter === undefined) {
      running--;
      return;
    }
    unlink(waiter);
    waiter.signal?.removeEventListener('abort', waiter.onAbort!);
    waiter.admit();
  };
  const placeFreer = () => {
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      release();
    };
  };

  /** Resolves once a place is this call's (already counted in `running`); rejects when full or aborted. */
  const wait = (signal: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (queued >= maxQueue) {
      const error = new StartupError(
        'STARTUP_ERR_BULKHEAD_FULL',
        `Bulkhead "${name}" is full: ${running} running, ${queued} waiting (maxQueue ${maxQueue}); raise maxQueue or maxConcurrent`,
        { retryable: true },
      );
      rejected.emit('reject', error);
      return Promise.reject(error);
    }
    return new Promise((admit, reject) => {
      const waiter: Waiter = { admit, prev: last, next: undefined, signal: undefined, onAbort: undefined };
      if (last) last.next = waiter;
      else first = waiter;
      last = waiter;
      queued++;
      // A listener costs microseconds on an EventTarget: added only for a signal that can abort.
      if (signal !== undefined && signal !== neverAborts) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          unlink(waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
    });
  };
  // A free place is taken at once, without waiting on a promise: the common case costs one tick less.
  const takeFree = (signal: AbortSignal | undefined) => {
    if (running >= maxConcurrent || queued > 0 || signal?.aborted) return false;
    running++;
    return true;
  };

  // What a call's promise runs once `fn` settles, shared: chained with `then` rather than awaited in an `async`
  // function, a call costs no per-call closure and less time.
  const freeWith = <T>(value: T): T => {
    release();
    return value;
  };
  const freeThrowing = (error: unknown): never => {
    release();
    throw error;
  };
  /** Runs `fn` in a place already taken, and frees the place once it settles (or throws). */
  const run = <T>(
    fn: (ctx: BulkheadContext) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    try {
      return Promise.resolve(fn({ signal: signal ?? neverAborts })).then(freeWith, freeThrowing);
    } catch (error) {
      release();
      return Promise.reject(error);
    }
  };

  const acquire = (signal?: AbortSignal): Promise<() => void> =>
    takeFree(signal) ? Promise.resolve(placeFreer()) : wait(signal).then(placeFreer);

  const bulkhead: Bulkhead & { [brand]: true } = {
    [brand]: true,
    name,
    maxConcurrent,
    maxQueue,
    get running() {
      return running;
    },
    get queued() {
      return queued;
    },
    acquire,
    execute(fn, signal) {
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        return Promise.reject(invalidOption('signal', 'an AbortSignal', signal));
      }
      if (takeFree(signal)) return run(fn, signal);
      return wait(signal).then(() => run(fn, signal));
    },
    onReject: (listener) => rejected.on('reject', listener),
    toJSON: () => ({
      name,
      maxConcurrent,
      maxQueue: Number.isFinite(maxQueue) ? maxQueue : null,
      running,
      queued,
    }),
  };
  return bulkhead;
}

/** A call waiting for a place in a bulkhead's queue. */
interface Waiter {
  /** Hands it the place. */
  admit: () => void;
  prev: Waiter | undefined;
  next: Waiter | undefined;
  /** Its signal, when it can abort, and the listener removing it from the queue. */
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** `true` for a bulkhead made by {@link createBulkhead}, even by another installed copy of this package. Internal. */
export function isBulkhead(value: unknown): value is Bulkhead {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
