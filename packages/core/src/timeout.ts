import type { Clock } from './clock.js';
import { StartupError } from './errors.js';
import type { Slot } from './slot.js';

/**
 * Settles like `work`, unless `signal` aborts first: then rejects at once with the signal's reason. For clients
 * whose calls take no signal (pg, nats.js): `work` goes on, and a value it resolves with late is handed to
 * `onLate` (to close what nobody will use); a late rejection is swallowed.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onLate?.(value);
        else resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A plugin's call with its own AbortSignal: `init`, `close` or `healthCheck`. Internal. */
export interface BoundedCall<T> {
  /** Settles like the call, or rejects as soon as it is aborted or times out. */
  readonly promise: Promise<T>;
  /** Aborts the call's signal with `reason`; `promise` rejects with it unless already settled. */
  abort(reason: unknown): void;
  /** Resolves once the call itself has settled (after `onLate` was handed a late value). */
  readonly finished: Promise<void>;
}

/** The timeouts of a plugin, by the name of their setting. */
export type TimeoutField = 'attemptMs' | 'pluginMs' | 'closeMs' | 'healthMs';

/** The codes of the timeouts, one per {@link TimeoutField}. */
type TimeoutCode =
  | 'STARTUP_ERR_ATTEMPT_TIMEOUT'
  | 'STARTUP_ERR_PLUGIN_TIMEOUT'
  | 'STARTUP_ERR_CLOSE_TIMEOUT'
  | 'STARTUP_ERR_HEALTH_TIMEOUT';

/** What a bounded call receives; callers add their own fields (`deps`, `logger`…) to it. */
export interface CallContext {
  /** Aborted when the call times out or is aborted. Made on first read (or abort): many calls never read it. */
  readonly signal: AbortSignal;
}

/**
 * Calls `fn` with a context whose signal aborts when the slot's `field` timeout passes (no timer when it is
 * `Infinity`) or on `abort()`. The call is abandoned then; a value it still resolves with goes to `onLate`.
 * No listener on any signal: whoever may cancel many calls keeps them and loops.
 */
export function boundedCall<T>(
  slot: Slot,
  field: TimeoutField,
  clock: Clock,
  fn: (ctx: CallContext) => T | PromiseLike<T>,
  onLate?: (value: T) => void,
): BoundedCall<T> {
  const ctx = new LazySignal();
  const ms = slot.settings[field];
  let timer: unknown;
  let settled = false;
  // The first of value, error, timeout and abort settles the call; true for that one only.
  const settle = () => {
    if (settled) return false;
    settled = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    return true;
  };
  let abort!: (reason: unknown) => void;
  let finished!: Promise<void>;
  const promise = new Promise<T>((resolve, reject) => {
    abort = (reason) => {
      if (!settle()) return;
      LazySignal.abort(ctx, reason);
      reject(reason);
    };
    if (Number.isFinite(ms)) timer = clock.setTimeout(() => abort(timeoutError(slot, field)), ms);
    finished = (async () => fn(ctx))().then(
      (value) => {
        if (settle()) resolve(value);
        else onLate?.(value);
      },
      (error) => {
        if (settle()) reject(error);
      },
    );
  });
  return { promise, abort, finished };
}

/**
 * A call's context whose signal is made on first read: an AbortController costs microseconds and garbage, times
 * a thousand plugins. A class, so its getter costs nothing to create (an object literal with one does).
 */
class LazySignal implements CallContext {
  #controller: AbortController | undefined;

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  // Static: the call's `init` receives the context, and must not find an `abort` on it. The controller is made on
  // abort too, so a signal read later is already aborted.
  static abort(ctx: LazySignal, reason: unknown): void {
    ctx.#controller ??= new AbortController();
    ctx.#controller.abort(reason);
  }
}

/** The error of a plugin's `field` timeout, naming the plugin and the setting to raise. */
export function timeoutError(slot: Slot, field: TimeoutField): StartupError {
  const { name } = slot.plugin;
  const message = `Plugin "${name}" exceeded timeouts.${field} (${slot.settings[field]} ms)`;
  // Spelled from the field (`attemptMs` gives STARTUP_ERR_ATTEMPT_TIMEOUT): shorter built than a table of four.
  const code = `STARTUP_ERR_${field.slice(0, -2).toUpperCase()}_TIMEOUT` as TimeoutCode;
  return new StartupError(code, message, { plugin: name, retryable: field === 'attemptMs' });
}
