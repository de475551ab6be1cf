import { type BreakerOptions, breakerKeys, checkBreakerPolicy } from './breaker.js';
import { type Bulkhead, isBulkhead } from './bulkhead.js';
import { type Clock, type Random, systemClock } from './clock.js';
import { invalidOption } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { checkDuration, checkFunction, checkObject } from './options.js';
import type { AnyPlugin } from './plugin.js';
import { checkRetryPolicy, policyKeys, type RetryOptions, type RetryPolicy } from './retry.js';

/** Options of {@link createStartup}. Every field is optional. */
export interface StartupOptions {
  /** The whole start must complete within this many milliseconds. Defaults to 60000 (origin "critical" threshold). */
  deadlineMs?: number;
  /** Aborting it (e.g. on SIGTERM) cancels the start: running plugins are aborted, started ones closed. */
  signal?: AbortSignal;
  /** Defaults to the system clock (`performance.now()`, unref'd timers). */
  clock?: Clock;
  /** Random source of retry jitter. Defaults to `Math.random`. */
  random?: Random;
  /** Defaults to a silent logger. */
  logger?: Logger;
  /** Settings every plugin gets unless it sets its own. */
  defaults?: {
    /** Retry policy of `init`, or `false` for one attempt. Defaults to {@link defaultRetryPolicy}. */
    retry?: RetryOptions | false;
    /** Breaker settings. Defaults: 3 consecutive failures open it for 60000 ms (origin). */
    breaker?: BreakerOptions;
    /** One `init` attempt, in milliseconds. Defaults to 10000. */
    attemptTimeoutMs?: number;
    /** All attempts of one plugin, in milliseconds. Defaults to `Infinity` (the deadline bounds it). */
    pluginTimeoutMs?: number;
    /** One `close`, and the wait for one abandoned `init` attempt to end, in milliseconds. Defaults to 10000. */
    closeTimeoutMs?: number;
  };
  health?: {
    /** One health check, in milliseconds. Defaults to 5000 (origin). */
    timeoutMs?: number;
    /** A result is reused for this many milliseconds; concurrent callers always share one run. Defaults to 1000. */
    cacheMs?: number;
  };
}

/** A plugin's settings after validation and defaults; every timeout in milliseconds. */
export interface PluginSettings {
  retry: RetryPolicy | false;
  breaker: Required<BreakerOptions>;
  attemptMs: number;
  pluginMs: number;
  closeMs: number;
  healthMs: number;
  /** The bulkhead each `init` attempt waits for a place in, if any. */
  bulkhead?: Bulkhead;
}

/** Validated runner settings. */
export interface RunnerSettings {
  deadlineMs: number;
  signal: AbortSignal | undefined;
  clock: Clock;
  random: Random;
  logger: Logger;
  healthCacheMs: number;
  plugins: PluginSettings[];
}

const optionKeys = ['deadlineMs', 'signal', 'defaults', 'health', 'clock', 'random', 'logger'];
const timeoutFields = ['attemptMs', 'pluginMs', 'closeMs', 'healthMs'] as const;
const defaultKeys = ['retry', 'breaker', 'attemptTimeoutMs', 'pluginTimeoutMs', 'closeTimeoutMs'];

/** Validates the runner's and every plugin's options, naming the field and plugin at fault. */
export function resolveSettings(plugins: readonly AnyPlugin[], given?: StartupOptions): RunnerSettings {
  const options = checkObject('options', given, undefined, optionKeys);
  const { signal } = options;
  const health = checkObject('health', options.health, undefined, ['timeoutMs', 'cacheMs']);
  const d = checkObject('defaults', options.defaults, undefined, defaultKeys);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalidOption('signal', 'an AbortSignal', signal);
  // A timeout: positive, Infinity allowed except for health checks.
  const timeout = (field: string, value: unknown, fallback: number, plugin?: string, finite?: boolean) =>
    checkDuration(field, value, fallback, { plugin, positive: true, allowInfinity: !finite });
  const shared: PluginSettings = {
    retry: d.retry === false ? false : checkRetryPolicy(d.retry, 'defaults.retry', {}, policyKeys),
    breaker: checkBreakerPolicy(d.breaker, 'defaults.breaker', {}, breakerKeys),
    attemptMs: timeout('defaults.attemptTimeoutMs', d.attemptTimeoutMs, 10_000),
    pluginMs: timeout('defaults.pluginTimeoutMs', d.pluginTimeoutMs, Infinity),
    closeMs: timeout('defaults.closeTimeoutMs', d.closeTimeoutMs, 10_000),
    healthMs: timeout('health.timeoutMs', health.timeoutMs, 5_000, undefined, true),
  };
  return {
    deadlineMs: timeout('deadlineMs', options.deadlineMs, 60_000),
    signal,
    clock: likeDefault('clock', options.clock, systemClock),
    random: checkFunction<Random>('random', options.random) ?? Math.random,
    logger: likeDefault('logger', options.logger, silentLogger),
    healthCacheMs: checkDuration('health.cacheMs', health.cacheMs, 1_000),
    plugins: plugins.map(({ name: plugin, retry, breaker, timeouts, bulkhead }) => {
      // Most plugins set none of their own: one object for all of them (a thousand plugins, a thousand fewer).
      if (retry === undefined && breaker === undefined && timeouts === undefined && bulkhead === undefined) {
        return shared;
      }
      const t = checkObject('timeouts', timeouts, plugin, timeoutFields);
      if (bulkhead !== undefined && !isBulkhead(bulkhead))
        throw invalidOption('bulkhead', 'a bulkhead made by createBulkhead()', bulkhead, plugin);
      const settings: PluginSettings = {
        ...shared,
        ...(bulkhead && { bulkhead }),
        retry:
          retry === false
            ? false
            : retry === undefined
              ? shared.retry
              : checkRetryPolicy(
                  { ...d.retry, ...checkObject('retry', retry, plugin) },
                  'retry',
                  { plugin },
                  policyKeys,
                ),
        breaker:
          breaker === undefined
            ? shared.breaker
            : checkBreakerPolicy(
                { ...d.breaker, ...checkObject('breaker', breaker, plugin) },
                'breaker',
                { plugin },
                breakerKeys,
              ),
      };
      for (const field of timeoutFields) {
        settings[field] = timeout(`timeouts.${field}`, t[field], shared[field], plugin, field === 'healthMs');
      }
      return settings;
    }),
  };
}

/** `value` when it is an object with every method `fallback` has (a Clock, a Logger); `fallback` when undefined. */
function likeDefault<T extends object>(field: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  const methods = Object.keys(fallback);
  const object = Object(value);
  if (value === object && methods.every((m) => typeof object[m] === 'function')) return value as T;
  throw invalidOption(field, `an object with ${methods.join(', ')}`, value);
}
