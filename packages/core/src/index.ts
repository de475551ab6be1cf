export type {
  BreakerOptions,
  BreakerSnapshot,
  BreakerState,
  BreakerTransition,
  CircuitBreaker,
} from './breaker.js';
export { breakerPolicy, createBreaker } from './breaker.js';
export type { Bulkhead, BulkheadContext, BulkheadOptions, BulkheadSnapshot } from './bulkhead.js';
export { createBulkhead } from './bulkhead.js';
export type { Clock, Random } from './clock.js';
export { sleep, systemClock } from './clock.js';
export { criticalPath, settledAt } from './critical-path.js';
export type { ErrorInfo, StartupErrorCode, StartupErrorOptions } from './errors.js';
export { describeError, invalidOption, isStartupError, StartupError, StartupFailedError } from './errors.js';
export type { Disposer } from './events.js';
export type { StartupEvents } from './events-map.js';
export type { HealthResult, HealthStatus, PluginHealth } from './health.js';
export type { Logger } from './logger.js';
export { childLogger, silentLogger } from './logger.js';
export { tlsErrorCode, transientNetworkCodes } from './network-errors.js';
export { checkBoolean, checkPassThrough, checkSecret, checkString } from './option-strings.js';
export type { FieldContext } from './options.js';
export { checkDuration, checkInteger, checkKeys, checkNumber } from './options.js';
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
export { redactSecrets, redactUrl } from './redact.js';
export type {
  AttemptReport,
  PluginReport,
  PluginStatus,
  StartupReport,
  StartupStatus,
  StepReport,
} from './report.js';
export type { AttemptContext, Jitter, RetryOptions, RetryPolicy, RetryRunOptions } from './retry.js';
export { backoffDelay, defaultRetryPolicy, isRetryable, retry, retryPolicy } from './retry.js';
export type { Startup, StartupState } from './runner.js';
export { createStartup } from './runner.js';
export type { SignalOptions, Stoppable } from './signals.js';
export { handleSignals } from './signals.js';
export type { StartupOptions } from './startup-options.js';
export { abortable } from './timeout.js';
