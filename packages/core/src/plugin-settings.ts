import type { BreakerOptions } from './breaker.js';
import { breakerPolicy } from './breaker.js';
import { type Bulkhead, isBulkhead } from './bulkhead.js';
import { invalidOption } from './errors.js';
import { checkBoolean } from './option-strings.js';
import { checkDuration, checkObject } from './options.js';
import type { PluginTimeouts } from './plugin.js';
import type { RetryOptions } from './retry.js';
import { retryPolicy } from './retry.js';

/**
 * The options every connector accepts besides its own, handed to core as they are. Give a connector's options
 * type these fields by extending this interface.
 */
export interface PluginSettings {
  /** Start degraded without this dependency instead of failing. Defaults to `false`. */
  optional?: boolean;
  /** Retry policy of the start, or `false` for a single attempt. Defaults to the runner's `defaults.retry`. */
  retry?: RetryOptions | false;
  /** Breaker fed by health checks and runtime reports. Defaults to the runner's `defaults.breaker`. */
  breaker?: BreakerOptions;
  /** Attempt, plugin, close and health timeouts, in milliseconds. Defaults to the runner's. */
  timeouts?: PluginTimeouts;
  /**
   * A {@link Bulkhead} from `createBulkhead()`, shared with the plugins that reach the same backend: each start
   * attempt waits for a place in it, so no more than its `maxConcurrent` of them handshake at once. Defaults to
   * none.
   */
  bulkhead?: Bulkhead;
}

/** The keys of {@link PluginSettings}, and `name`: every connector accepts them. */
export const pluginSettingKeys: readonly string[] = [
  'name',
  'optional',
  'retry',
  'breaker',
  'timeouts',
  'bulkhead',
];

const timeoutKeys = ['attemptMs', 'pluginMs', 'closeMs', 'healthMs'] as const;

/**
 * Checks the {@link PluginSettings} of `options` for `plugin`, before anything connects, with the same rules as
 * the runner (which merges them with its defaults at `createStartup`). Returns the fields that were given, as
 * given, to spread into the plugin. Throws `STARTUP_ERR_INVALID_OPTION` naming the field and the plugin.
 */
export function pluginSettings(options: PluginSettings, plugin: string): PluginSettings {
  const settings: PluginSettings = {};
  const { optional, retry, breaker, timeouts, bulkhead } = options;
  if (optional !== undefined) settings.optional = checkBoolean('optional', optional, false, { plugin });
  if (retry === false) settings.retry = false;
  else if (retry !== undefined) {
    if (typeof retry !== 'object' || retry === null)
      throw invalidOption('retry', 'false or an object', retry, plugin);
    retryPolicy(retry, { plugin });
    settings.retry = retry;
  }
  if (breaker !== undefined) {
    breakerPolicy(breaker, { plugin });
    settings.breaker = breaker;
  }
  if (timeouts !== undefined) {
    const t = checkObject('timeouts', timeouts, plugin, timeoutKeys);
    for (const key of timeoutKeys) {
      // As the runner: positive; Infinity allowed except for a health check.
      checkDuration(`timeouts.${key}`, t[key], 1, {
        plugin,
        positive: true,
        allowInfinity: key !== 'healthMs',
      });
    }
    settings.timeouts = timeouts;
  }
  if (bulkhead !== undefined) {
    // As the runner: only a bulkhead of createBulkhead() (of any installed copy of core) queues attempts.
    if (!isBulkhead(bulkhead))
      throw invalidOption('bulkhead', 'a bulkhead made by createBulkhead()', bulkhead, plugin);
    settings.bulkhead = bulkhead;
  }
  return settings;
}
