import type { AnyPlugin, Startup, StartupFailedError, StartupReport } from '@startup/core';
import type { FaultProxy } from '@startup/fault-proxy';
import type { ExpectStatic } from 'vitest';
import type { Address, ServiceKit } from './service-kits.js';

/** What a fault is expected to lead to. */
export type Outcome =
  | 'ready'
  | 'retried then ready'
  | 'coded failure within budget'
  | 'degraded (optional plugin)'
  | 'recovered';

/** What one case of the matrix observed. */
export interface CaseResult {
  outcome: Outcome;
  /** The time the outcome took, in milliseconds (see the fault's `timed`). */
  ms: number;
  /** Attempts, codes, events: what the reader needs to believe the outcome. */
  detail: string;
}

/** What a fault's `run` gets: the service, a proxy in front of its server, and a way to build the app. */
export interface CaseContext {
  kit: ServiceKit;
  proxy: FaultProxy;
  /** The proxy's address, where the connector connects. */
  at: Address;
  /** Unique name of the case's connections on the server. */
  id: string;
  expect: ExpectStatic;
  /** The runner over `plugin` with the test policy; stopped by the matrix after the case. */
  app(plugin: AnyPlugin): Startup<Record<string, unknown>>;
}

/** One row of the matrix: a fault, applied through the proxy, with the outcome it must have. */
export interface Fault {
  id: string;
  label: string;
  /** What `CaseResult.ms` measures. */
  timed: string;
  expected: Outcome;
  run(ctx: CaseContext): Promise<CaseResult>;
}

/** Starts `app`, expecting it to fail; resolves with the error and the time it took, in milliseconds. */
export async function startFailure(
  app: Startup<unknown>,
): Promise<{ error: StartupFailedError; ms: number }> {
  const began = performance.now();
  const error = await app.start().then(
    () => {
      throw new Error('the start resolved; a failure was expected');
    },
    (e: StartupFailedError) => e,
  );
  return { error, ms: performance.now() - began };
}

/** The connector's own code behind a failed start: the cause of the plugin's failure. */
export function causeCode(error: StartupFailedError): string | undefined {
  const failure = error.failures[0];
  const cause = failure?.cause as { code?: string } | undefined;
  return cause?.code ?? failure?.code;
}

/** The codes of every attempt of the report's only plugin (`undefined` for the one that succeeded). */
export function attemptCodes(report: StartupReport): Array<string | undefined> {
  return (report.plugins[0]?.attempts ?? []).map((a) => a.error?.code);
}

/** "3 attempts" / "1 attempt". */
export function attempts(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}
