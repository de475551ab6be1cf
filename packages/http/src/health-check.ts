import type { HealthDetails } from '@startup/core';
import { HttpStatusError, retryAfterMs } from './classify-error.js';
import type { ResolvedHttpServiceOptions } from './resolve-options.js';
import type { HttpService } from './upstream.js';

/**
 * One request to the health URL, bounded by `signal` (and the plugin's timeouts): passes when the status is
 * `expectStatus` (any 2xx by default) and `expectBody`, if given, accepts the body's first `maxHealthBodyBytes`.
 * The body is read (up to that bound) even without `expectBody`, so the socket is reused, not closed.
 * Returns `{ status, latencyMs }` (latency to the response headers, in milliseconds, two decimals). Rejects with
 * the network error, a `TimeoutError`, an {@link HttpStatusError}, or the signal's reason.
 */
export async function checkUpstream(
  service: HttpService,
  options: ResolvedHttpServiceOptions,
  signal: AbortSignal,
): Promise<HealthDetails> {
  const startedAt = performance.now();
  const response = await service.fetch(options.healthUrl, { signal, headers: { accept: '*/*' } });
  const latencyMs = Math.round((performance.now() - startedAt) * 100) / 100;
  const body = await readBounded(response, options.maxHealthBodyBytes);
  const expected = options.expectStatus
    ? options.expectStatus.includes(response.status)
    : response.status >= 200 && response.status < 300;
  if (!expected)
    throw new HttpStatusError(response.status, retryAfterMs(response.headers.get('retry-after')));
  if (options.expectBody && !(await accepts(options.expectBody, body))) {
    throw new HttpStatusError(response.status, undefined, true);
  }
  return { status: response.status, latencyMs };
}

async function accepts(check: (body: string) => boolean | Promise<boolean>, body: string): Promise<boolean> {
  try {
    return (await check(body)) === true;
  } catch {
    return false;
  }
}

/**
 * The body's first `limit` bytes as text. A longer body is not read on: the stream is cancelled (its socket is
 * then closed, not reused). An empty or short body is read to its end, so its socket is reused.
 */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        chunks.push(value.subarray(0, limit - size));
        await reader.cancel();
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
