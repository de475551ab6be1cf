import { setTimeout as delay } from 'node:timers/promises';

/**
 * `'closed'` if `closing` settles (resolved or rejected is the caller's to check) within `boundMs` milliseconds,
 * `'still closing'` otherwise; the bound's timer is cleared either way, so it holds no handle.
 */
export function settlesWithin(closing: Promise<void> | void, boundMs: number): Promise<string> {
  const controller = new AbortController();
  return Promise.race([
    Promise.resolve(closing).then(() => 'closed'),
    delay(boundMs, 'still closing', { signal: controller.signal }).catch(() => 'closed'),
  ]).finally(() => controller.abort());
}
