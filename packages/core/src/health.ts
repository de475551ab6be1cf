import type { BreakerSnapshot } from './breaker.js';
import type { ErrorInfo } from './errors.js';
import type { HealthDetails } from './plugin.js';

/** pass: all well; warn: an optional plugin is unhealthy; fail: a required one is (draft-inadarei-api-health-check). */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** One plugin's check. */
export interface PluginHealth {
  status: HealthStatus;
  optional: boolean;
  /** How long the check took, in milliseconds (0 when it was not run). */
  responseTimeMs: number;
  /** Wall-clock time of the check, ISO 8601. */
  time: string;
  breaker: BreakerSnapshot;
  /** What the check returned (pool sizes, RTT…). */
  details?: HealthDetails;
  /** Why it is not passing. */
  error?: ErrorInfo;
}

/** The composite result of {@link Startup.health}. */
export interface HealthResult {
  status: HealthStatus;
  /** Wall-clock time of the run, ISO 8601. */
  time: string;
  /** Duration of the whole run, in milliseconds. */
  durationMs: number;
  /** True when this result was served from the cache. */
  cached: boolean;
  checks: Record<string, PluginHealth>;
}
