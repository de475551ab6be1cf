import { type BreakerOptions, breakerPolicy } from './breaker.js';
import { type Clock, type Random, systemClock } from './clock.js';
import { invalidOption } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { checkDuration } from './options.js';
import type { AnyPlugin } from './plugin.js';
import { type RetryOptions, type RetryPolicy, retryPolicy } from './retry.js';

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
    /** One `close`, in milliseconds. Defaults to 10000. */
    closeTimeoutMs?: number;
  };
  health?: {
    /** One health check, in milliseconds. Defaults to 5000 (origin). */
    timeoutMs?: number;
    /** A result is reused for this many milliseconds; concurrent callers always share one run. Defaults to 1000. */
    cacheMs?: number;
  };
}

/** A plugin's settings after validation and defaults. */
export interface PluginSettings {
  retry: RetryPolicy | false;
  breaker: Required<BreakerOptions>;
  attemptMs: number;
  pluginMs: number;
  closeMs: number;
  healthMs: number;
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

/** Validates the runner's and every plugin's options, naming the field and plugin at fault. */
export function resolveSettings(plugins: readonly AnyPlugin[], options: StartupOptions = {}): RunnerSettings {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalidOption('signal', 'an AbortSignal', options.signal);
  }
  const d = options.defaults ?? {};
  const attemptMs = checkDuration('defaults.attemptTimeoutMs', d.attemptTimeoutMs, 10_000, {
    positive: true,
    allowInfinity: true,
  });
  const pluginMs = checkDuration('defaults.pluginTimeoutMs', d.pluginTimeoutMs, Number.POSITIVE_INFINITY, {
    positive: true,
    allowInfinity: true,
  });
  const closeMs = checkDuration('defaults.closeTimeoutMs', d.closeTimeoutMs, 10_000, {
    positive: true,
    allowInfinity: true,
  });
  const healthMs = checkDuration('health.timeoutMs', options.health?.timeoutMs, 5_000, { positive: true });
  const defaultRetry = d.retry === false ? false : retryPolicy(d.retry, 'defaults.retry');
  const defaultBreaker = breakerPolicy(d.breaker, 'defaults.breaker');
  return {
    deadlineMs: checkDuration('deadlineMs', options.deadlineMs, 60_000, {
      positive: true,
      allowInfinity: true,
    }),
    signal: options.signal,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    logger: options.logger ?? silentLogger,
    healthCacheMs: checkDuration('health.cacheMs', options.health?.cacheMs, 1_000),
    plugins: plugins.map((p) => {
      const ctx = { plugin: p.name };
      const t = p.timeouts ?? {};
      return {
        retry:
          p.retry === false
            ? false
            : p.retry === undefined
              ? defaultRetry
              : retryPolicy({ ...d.retry, ...p.retry }, 'retry', ctx),
        breaker:
          p.breaker === undefined
            ? defaultBreaker
            : breakerPolicy({ ...d.breaker, ...p.breaker }, 'breaker', ctx),
        attemptMs: checkDuration('timeouts.attemptMs', t.attemptMs, attemptMs, {
          ...ctx,
          positive: true,
          allowInfinity: true,
        }),
        pluginMs: checkDuration('timeouts.pluginMs', t.pluginMs, pluginMs, {
          ...ctx,
          positive: true,
          allowInfinity: true,
        }),
        closeMs: checkDuration('timeouts.closeMs', t.closeMs, closeMs, {
          ...ctx,
          positive: true,
          allowInfinity: true,
        }),
        healthMs: checkDuration('timeouts.healthMs', t.healthMs, healthMs, { ...ctx, positive: true }),
      };
    }),
  };
}
