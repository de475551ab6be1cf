import type { BreakerState } from './breaker.js';
import type { ErrorInfo } from './errors.js';
import type { HealthResult } from './health.js';
import type { StartupReport } from './report.js';

/** Every event of a start-up, by name. Times are milliseconds since the start began. */
export interface StartupEvents {
  /** A plugin's dependencies are ready and its `init` begins. */
  'plugin:start': { plugin: string; atMs: number };
  /** An `init` attempt begins. */
  'plugin:attempt': { plugin: string; attempt: number; atMs: number };
  /** An attempt failed and another follows after `delayMs`. */
  'plugin:retry': { plugin: string; attempt: number; delayMs: number; error: ErrorInfo };
  /** A sub-step recorded with `ctx.step()` ended. */
  'plugin:step': { plugin: string; step: string; attempt: number; durationMs: number; error?: ErrorInfo };
  'plugin:ready': { plugin: string; attempts: number; durationMs: number };
  'plugin:failed': { plugin: string; attempts: number; error: ErrorInfo; optional: boolean };
  /** Not started because an optional dependency failed. */
  'plugin:skipped': { plugin: string; reason: string };
  /** A started resource reported loss of its connection. */
  'plugin:down': { plugin: string; error?: ErrorInfo };
  /** A started resource reported recovery. */
  'plugin:up': { plugin: string };
  'breaker:state': { plugin: string; from: BreakerState; to: BreakerState; error?: ErrorInfo };
  /** The start completed: `report.status` is `ready` or `degraded`. */
  'startup:ready': { report: StartupReport };
  /** The start failed or was aborted; everything opened was closed. */
  'startup:failed': { error: ErrorInfo; report: StartupReport };
  'shutdown:start': { reason: string };
  'shutdown:plugin': { plugin: string; durationMs: number; error?: ErrorInfo };
  'shutdown:complete': { durationMs: number; errors: ErrorInfo[] };
  /** A health run completed (not emitted for cached results). */
  health: { result: HealthResult };
}
