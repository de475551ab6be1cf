import type { Startup } from '@startup/core';
import type { Monitor } from '@startup/monitor';
import type { Config } from './config.js';
import type { SampleHistory } from './history.js';
import type { Redact } from './redaction.js';
import type { Resources } from './services.js';

/** What the routes share: the configuration, the application being started and its monitor. */
export interface SampleContext {
  readonly config: Config;
  readonly startup: Startup<Resources>;
  /** Analysis, recommendations, trend, health payload and metrics of the start. */
  readonly monitor: Monitor;
  /** Where starts are recorded; `undefined` when `HISTORY_STORE=off`. */
  readonly history: SampleHistory | undefined;
  readonly redact: Redact;
}
