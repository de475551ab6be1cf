import type { CircuitBreaker } from './breaker.js';
import type { ErrorInfo } from './errors.js';
import type { Logger } from './logger.js';
import type { AnyPlugin } from './plugin.js';
import type { PluginReport } from './report.js';
import type { PluginSettings } from './startup-options.js';

/** The runner's state of one plugin. Internal. */
export interface Slot {
  readonly index: number;
  readonly plugin: AnyPlugin;
  readonly settings: PluginSettings;
  readonly report: PluginReport;
  readonly breaker: CircuitBreaker;
  readonly logger: Logger;
  /** Dependencies not ready yet. */
  waitingOn: number;
  /** True once `init` resolved: the resource must be closed. */
  started: boolean;
  resource: unknown;
  /** Set by `ctx.runtime.down()`, cleared by `up()`. */
  down: ErrorInfo | undefined;
  /** The `init` attempt in progress, if any. */
  attempt: number;
}
