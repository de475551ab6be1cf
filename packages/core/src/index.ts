// @startup/core: what an application imports. A connector's author also imports `@startup/core/plugin-kit`.

export type {
  BreakerOptions,
  BreakerSnapshot,
  BreakerState,
  BreakerTransition,
  CircuitBreaker,
} from './breaker.js';
export { createBreaker } from './breaker.js';
export type { Bulkhead, BulkheadContext, BulkheadOptions, BulkheadSnapshot } from './bulkhead.js';
export { createBulkhead } from './bulkhead.js';
export type { Clock, Random } from './clock.js';
export { sleep, systemClock } from './clock.js';
export { criticalPath, settledAt } from './critical-path.js';
// Errors and the report.
export type { StartupErrorCode } from './error-codes.js';
export type { ErrorInfo, StartupErrorOptions } from './errors.js';
export { describeError, isStartupError, StartupError, StartupFailedError } from './errors.js';
export type { Disposer } from './events.js';
export type { StartupEvents } from './events-map.js';
export type { HealthResult, HealthStatus, PluginHealth } from './health.js';
// Logging, time and randomness, injected.
export type { Logger } from './logger.js';
export { childLogger, silentLogger } from './logger.js';
// Declare plugins.
export type {
  AnyPlugin,
  HealthDetails,
  Plugin,
  PluginContext,
  PluginTimeouts,
  ResourceContext,
  ResourceOf,
  ResourcesOf,
  RuntimeReporter,
} from './plugin.js';
export { definePlugin } from './plugin.js';
export type {
  AttemptReport,
  PluginReport,
  PluginStatus,
  StartupReport,
  StartupStatus,
  StepReport,
} from './report.js';
// Resilience on its own: retry with backoff and jitter, a circuit breaker.
export type {
  AttemptContext,
  Retrier,
  RetrierOptions,
  RetryInfo,
  RetryRunOptions,
} from './retrier.js';
export { createRetry, retry } from './retrier.js';
export type { Jitter, RetryOptions, RetryPolicy } from './retry.js';
export { defaultRetryPolicy, isRetryable } from './retry.js';
// Start, stop and watch an application.
export type { Startup, StartupState } from './runner.js';
export { createStartup } from './runner.js';
export type { SignalOptions, Stoppable } from './signals.js';
export { handleSignals } from './signals.js';
export type { StartupOptions } from './startup-options.js';
