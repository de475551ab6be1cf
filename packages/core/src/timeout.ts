import type { Clock } from './clock.js';
import { StartupError } from './errors.js';

/**
 * An AbortController that aborts when `parent` aborts (with the parent's reason) or after `ms`
 * (with `onTimeout()` as the reason). `dispose()` clears the timer and the link to the parent.
 */
export function scopedController(
  parent: AbortSignal | undefined,
  ms: number,
  clock: Clock,
  onTimeout: () => unknown,
): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, { once: true });
  const timer = Number.isFinite(ms) ? clock.setTimeout(() => controller.abort(onTimeout()), ms) : undefined;
  return {
    controller,
    dispose: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/**
 * Settles like `work`, unless `signal` aborts first: then rejects at once with the signal's reason. For clients
 * whose calls take no signal (pg, nats.js): `work` goes on, and a value it resolves with late is handed to
 * `onLate` (to close what nobody will use); a late rejection is swallowed.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal, onLate?: (value: T) => void): Promise<T> {
  if (signal.aborted) {
    work.then(
      (v) => onLate?.(v),
      () => {},
    );
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const onAbort = () => {
      done = true;
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (done) onLate?.(value);
        else resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        if (!done) reject(error);
      },
    );
  });
}

/** A timeout error naming the plugin and what timed out. */
export function timeoutError(
  code:
    | 'STARTUP_ERR_ATTEMPT_TIMEOUT'
    | 'STARTUP_ERR_PLUGIN_TIMEOUT'
    | 'STARTUP_ERR_CLOSE_TIMEOUT'
    | 'STARTUP_ERR_HEALTH_TIMEOUT',
  plugin: string,
  what: string,
  ms: number,
): StartupError {
  return new StartupError(code, `Plugin "${plugin}": ${what} timed out after ${ms} ms`, {
    plugin,
    retryable: code === 'STARTUP_ERR_ATTEMPT_TIMEOUT',
  });
}
