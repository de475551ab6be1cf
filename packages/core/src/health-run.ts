import type { Clock } from './clock.js';
import { describeError, StartupError } from './errors.js';
import type { HealthResult, HealthStatus, PluginHealth } from './health.js';
import type { Slot } from './slot.js';
import { abortable, scopedController, timeoutError } from './timeout.js';

/**
 * Runs every plugin's check in parallel, each bounded by its timeout and gated by its breaker, and
 * aggregates: a required plugin failing → fail; an optional one → warn. Internal: callers go through
 * {@link singleFlight}.
 */
export async function runHealth(slots: readonly Slot[], clock: Clock): Promise<HealthResult> {
  const started = clock.now();
  const time = new Date(clock.wallNow()).toISOString();
  const results = await Promise.all(slots.map((slot) => checkOne(slot, clock, time)));
  const checks: Record<string, PluginHealth> = {};
  let status: HealthStatus = 'pass';
  slots.forEach((slot, i) => {
    const check = results[i]!;
    checks[slot.plugin.name] = check;
    if (check.status === 'fail') status = 'fail';
    else if (check.status === 'warn' && status === 'pass') status = 'warn';
  });
  return { status, time, durationMs: clock.now() - started, cached: false, checks };
}

async function checkOne(slot: Slot, clock: Clock, time: string): Promise<PluginHealth> {
  const { plugin, report, breaker, settings } = slot;
  const optional = plugin.optional === true;
  const unhealthy: HealthStatus = optional ? 'warn' : 'fail';
  const base = { optional, time, responseTimeMs: 0 };
  if (!slot.started) {
    const why =
      report.status === 'skipped'
        ? `skipped: ${report.skippedBecause}`
        : report.status === 'failed' || report.status === 'aborted'
          ? `${report.status}: ${report.error?.message ?? 'unknown error'}`
          : `not started (${report.status})`;
    return { ...base, status: unhealthy, breaker: breaker.toJSON(), error: { name: 'Error', message: why } };
  }
  const check = plugin.healthCheck;
  if (!check) {
    const status = slot.down ? unhealthy : 'pass';
    return slot.down
      ? { ...base, status, breaker: breaker.toJSON(), error: slot.down }
      : { ...base, status, breaker: breaker.toJSON() };
  }
  const begun = clock.now();
  const scope = scopedController(undefined, settings.healthMs, clock, () =>
    timeoutError('STARTUP_ERR_HEALTH_TIMEOUT', plugin.name, 'health check', settings.healthMs),
  );
  try {
    const details = await breaker.execute(() =>
      abortable(
        new Promise((resolve) =>
          resolve(check(slot.resource, { signal: scope.controller.signal, logger: slot.logger })),
        ),
        scope.controller.signal,
      ),
    );
    const result: PluginHealth = {
      ...base,
      status: 'pass',
      responseTimeMs: clock.now() - begun,
      breaker: breaker.toJSON(),
    };
    if (details && typeof details === 'object') result.details = details as PluginHealth['details'];
    return result;
  } catch (error) {
    const info = describeError(error);
    if (!(error instanceof StartupError && error.code === 'STARTUP_ERR_BREAKER_OPEN')) {
      slot.logger.warn('health check failed', { error: info.message });
    }
    return {
      ...base,
      status: unhealthy,
      responseTimeMs: clock.now() - begun,
      breaker: breaker.toJSON(),
      error: info,
    };
  } finally {
    scope.dispose();
  }
}

/**
 * Wraps `run` so concurrent callers share one in-flight run, and a result is reused for `cacheMs`
 * milliseconds (marked `cached: true`).
 */
export function singleFlight(
  run: () => Promise<HealthResult>,
  cacheMs: number,
  clock: Clock,
): () => Promise<HealthResult> {
  let inFlight: Promise<HealthResult> | undefined;
  let cached: { result: HealthResult; at: number } | undefined;
  return () => {
    if (cached && clock.now() - cached.at < cacheMs)
      return Promise.resolve({ ...cached.result, cached: true });
    inFlight ??= run()
      .then((result) => {
        cached = { result, at: clock.now() };
        return result;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
