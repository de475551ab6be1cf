/**
 * Every code `@startup/core` and `@startup/monitor` use, with what it means. `STARTUP_ERR_*` codes are thrown as a
 * `StartupError`; `STARTUP_WARN_*` codes mark warnings, never thrown. Connectors keep their own registries
 * (`redisErrorCodes`, …). A test proves each code here is raised by some source and asserted by some test.
 */
export const errorCodes = Object.freeze({
  STARTUP_ERR_INVALID_OPTION:
    'An option is missing, malformed or out of range; the message names the field and plugin.',
  STARTUP_ERR_DUPLICATE_PLUGIN: 'Two plugins share a name.',
  STARTUP_ERR_UNKNOWN_DEPENDENCY: 'A plugin depends on a name no plugin has.',
  STARTUP_ERR_DEPENDENCY_CYCLE: 'Plugins depend on each other in a cycle; the message lists it.',
  STARTUP_ERR_ATTEMPT_TIMEOUT: "One init attempt exceeded the plugin's timeouts.attemptMs; retried.",
  STARTUP_ERR_PLUGIN_TIMEOUT: "A plugin's attempts and waits together exceeded its timeouts.pluginMs.",
  STARTUP_ERR_DEADLINE: 'The start exceeded deadlineMs.',
  STARTUP_ERR_ABORTED: 'The start was cancelled (signal, stop(), or another plugin failed).',
  STARTUP_ERR_PLUGIN_FAILED: "A plugin's init failed for good (retries exhausted or a permanent error).",
  STARTUP_ERR_FAILED: 'The start failed; `failures` holds each plugin at fault.',
  STARTUP_ERR_BREAKER_OPEN: 'A circuit breaker is open and refused the call.',
  STARTUP_ERR_CLOSE_TIMEOUT: "A plugin's close exceeded its timeouts.closeMs.",
  STARTUP_ERR_SHUTDOWN: 'Shutdown began while the start was under way, or a close failed.',
  STARTUP_ERR_HEALTH_TIMEOUT: "A health check exceeded the plugin's timeouts.healthMs.",
  STARTUP_ERR_NOT_STARTED: 'Resources were read before start() resolved.',
  STARTUP_ERR_ALREADY_STARTED: 'start() was called on an application stopped before it started.',
  STARTUP_ERR_BULKHEAD_FULL: "A bulkhead's queue is full; the call was refused at once.",
  STARTUP_ERR_HISTORY_IO: 'The monitor could not read or write its start-up history.',
  STARTUP_WARN_HISTORY_CORRUPT:
    'A history store skipped an entry it could not read (a warning on its onWarning).',
  STARTUP_WARN_ALERT_LISTENER: 'An alert listener threw (a process warning unless onListenerError is given).',
  STARTUP_WARN_MONITOR:
    'The monitor could not record or analyse a start (a process warning unless onError is given).',
} as const);

/** Stable error codes. Tests and callers should match on these, never on message text. */
export type StartupErrorCode = keyof typeof errorCodes;
