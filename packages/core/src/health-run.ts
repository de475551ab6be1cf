import type { Clock } from './clock.js';
import { describeError } from './errors.js';
import type { HealthResult, HealthStatus, PluginHealth } from './health.js';
import type { HealthDetails } from './plugin.js';
import { breakerOf, type Run, type Slot } from './slot.js';
import { boundedCall } from './timeout.js';

/**
 * Runs every plugin's check in parallel, each bounded by its timeout and gated by its breaker, and
 * aggregates: a required plugin failing → fail; an optional one → warn. Internal: callers go through
 * {@link singleFlight}.
 */
export async function runHealth(run: Run, closing = false): Promise<HealthResult> {
  const { clock } = run.settings;
  const began = clock.now();
  const time = new Date(clock.wallNow()).toISOString();
  const results = await Promise.all(run.slots.map((slot) => checkOne(run, slot, time, closing)));
  const checks: Record<string, PluginHealth> = {};
  let status: HealthStatus = 'pass';
  results.forEach((check, i) => {
    checks[run.slots[i]!.plugin.name] = check;
    // fail outranks warn, which outranks pass.
    if (check.status === 'fail' || status === 'pass') status = check.status;
  });
  return { status, time, durationMs: clock.now() - began, cached: false, checks };
}

/** One plugin's check; none reaches a backend once `closing` (shutdown has begun). */
async function checkOne(run: Run, slot: Slot, time: string, closing: boolean): Promise<PluginHealth> {
  const { clock } = run.settings;
  const { plugin, report, logger, down } = slot;
  const breaker = breakerOf(slot, clock, run.events);
  const check = plugin.healthCheck;
  let responseTimeMs = 0;
  let details: HealthDetails | undefined | void;
  // A reported outage stands until up(): a check that passes meanwhile (a pool's spare connection) neither
  // hides it nor counts as a success on the breaker; a failing one still counts as a failure.
  let error = down;
  if (!slot.started || closing) {
    const why = report.skippedBecause ?? report.error?.message ?? 'not running';
    const message =
      report.status === 'ready'
        ? closing && slot.started
          ? 'closing'
          : 'closed'
        : `${report.status}: ${why}`;
    error = { name: 'Error', message };
  } else if (check && !(down && breaker.state === 'OPEN')) {
    const began = clock.now();
    const call = () =>
      boundedCall(slot, 'healthMs', clock, (ctx) =>
        check.call(plugin, slot.resource, Object.assign(ctx, { logger })),
      ).promise;
    try {
      details = await (down ? call() : breaker.execute(call));
    } catch (thrown) {
      const info = describeError(thrown);
      if (info.code !== 'STARTUP_ERR_BREAKER_OPEN')
        logger.warn('health check failed', { error: info.message });
      // Unless up() ended this outage while the check ran.
      if (down && slot.down === down) breaker.recordFailure(thrown);
      error ??= info;
    }
    responseTimeMs = clock.now() - began;
  }
  return {
    status: error ? (report.optional ? 'warn' : 'fail') : 'pass',
    optional: report.optional,
    responseTimeMs,
    time,
    breaker: breaker.toJSON(),
    ...(error ? { error } : details && typeof details === 'object' && { details }),
  };
}

/**
 * Wraps `run` so concurrent callers share one in-flight run, and a result is reused for `cacheMs`
 * milliseconds (marked `cached: true`), as long as `key()` (the application's state) has not changed since
 * the run began.
 */
export function singleFlight(
  run: () => Promise<HealthResult>,
  cacheMs: number,
  clock: Clock,
  key: () => unknown,
): () => Promise<HealthResult> {
  // The latest run: in flight until `at` (when it resolved) is set.
  let last: { key: unknown; result: Promise<HealthResult>; at?: number } | undefined;
  return () => {
    const now = key();
    if (last && last.key === now) {
      if (last.at === undefined) return last.result;
      if (clock.now() - last.at < cacheMs) return last.result.then((result) => ({ ...result, cached: true }));
    }
    const flight: NonNullable<typeof last> = { key: now, result: run() };
    flight.result.then(
      () => {
        flight.at = clock.now();
      },
      () => {
        if (last === flight) last = undefined;
      },
    );
    last = flight;
    return flight.result;
  };
}
