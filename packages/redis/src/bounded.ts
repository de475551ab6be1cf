/** A time limit for {@link bounded}: after `ms` milliseconds it rejects with `error()`. */
export interface Limit {
  ms: number;
  error: () => unknown;
}

/**
 * Settles like `work`, unless `signal` aborts first (rejects with the signal's reason) or `limit` runs out
 * (rejects with `limit.error()`). A late rejection of `work` is swallowed: the caller has moved on and
 * cleans up the client itself. The timer and the abort listener never outlive the call.
 */
export function bounded<T>(work: Promise<T>, signal: AbortSignal, limit?: Limit): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const finish = () => {
      signal.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };
    const onAbort = () => {
      finish();
      reject(signal.reason);
    };
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(() => {
            finish();
            reject(limit.error());
          }, limit.ms);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}
