import { createFaultProxy } from '@startup/fault-proxy';
import { endpoint, servers, via } from '../servers.js';
import { peakInWindow } from '../statistics.js';
import { logConnects } from './connect-log.js';
import type { Closable, Connector, LateContender } from './contenders.js';

/** What one late-dependency start gave. */
export interface TrialResult {
  /** From the proxy accepting to ready, in milliseconds; undefined when never ready. */
  readyAfterAcceptMs?: number;
  /** TCP connection attempts while the dependency refused, plus the one that got through. */
  attempts: number;
  /** Most of those attempts in any one-second window. */
  peakPerSecond: number;
  /** Why it never became ready (an error code or message). */
  failure?: string;
}

/**
 * A fault proxy in front of the real server refuses connections for `acceptAfterMs` after the start begins,
 * then accepts; the contender starts through it at once. Gives up after `timeoutMs`.
 */
export async function runTrial(
  connector: Connector,
  contender: LateContender,
  acceptAfterMs: number,
  timeoutMs: number,
): Promise<TrialResult> {
  const proxy = await createFaultProxy({ target: endpoint(servers[connector]) });
  await proxy.refuse();
  const log = logConnects(proxy.port);
  const url = via(servers[connector], proxy);
  let acceptedAt: number | undefined;
  let accepting: Promise<void> | undefined;
  const acceptTimer = setTimeout(() => {
    accepting = proxy.accept().then(() => {
      acceptedAt = performance.now();
    });
  }, acceptAfterMs);
  const giveUp = new AbortController();
  const limit = setTimeout(
    () => giveUp.abort(new Error(`not ready ${timeoutMs} ms after the start`)),
    timeoutMs,
  );
  let started: Closable | undefined;
  let readyAt: number | undefined;
  let failure: string | undefined;
  try {
    started = await contender.start(url, giveUp.signal);
    readyAt = performance.now();
  } catch (error) {
    failure = describe(error);
    if (contender.ours) console.error(`bench: P3 ${connector} "${contender.name}" did not start: ${failure}`);
  } finally {
    clearTimeout(limit);
  }
  await started?.close().catch(() => {});
  // A client that gave up before the dependency came up: it never will, for this trial.
  clearTimeout(acceptTimer);
  await accepting;
  log.dispose();
  await proxy.close();
  const refusedUntil = acceptedAt ?? Number.POSITIVE_INFINITY;
  const before = log.times.filter((t) => t < refusedUntil);
  const through = log.times.find((t) => t >= refusedUntil);
  const counted = through === undefined ? before : [...before, through];
  return {
    ...(readyAt !== undefined && acceptedAt !== undefined
      ? { readyAfterAcceptMs: readyAt - acceptedAt }
      : {}),
    attempts: counted.length,
    peakPerSecond: peakInWindow(counted, 1000),
    ...(failure ? { failure } : {}),
  };
}

/** The most telling line of a failure: the outermost message, and the socket error code behind it if any. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const seen = new Set<unknown>();
  let at: unknown = error;
  while (typeof at === 'object' && at !== null && !seen.has(at)) {
    seen.add(at);
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      return message.includes(code) ? message.slice(0, 160) : `${code}: ${message.slice(0, 150)}`;
    const errors = (at as { errors?: unknown }).errors;
    at = (at as { cause?: unknown }).cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return message.slice(0, 160);
}
