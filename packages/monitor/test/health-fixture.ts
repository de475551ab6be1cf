import type { BreakerState, HealthResult, HealthStatus, PluginHealth } from '@startup/core';

/** A plugin's health check as core reports it. */
export function fakeCheck(
  status: HealthStatus,
  responseTimeMs: number,
  extra: {
    optional?: boolean;
    breaker?: BreakerState;
    error?: string;
    details?: PluginHealth['details'];
  } = {},
): PluginHealth {
  const check: PluginHealth = {
    status,
    optional: extra.optional ?? false,
    responseTimeMs,
    time: '2025-01-01T00:01:00.000Z',
    breaker: { state: extra.breaker ?? 'CLOSED', failures: 0, retryInMs: 0 },
  };
  if (extra.error) check.error = { name: 'Error', code: 'ECONNREFUSED', message: extra.error };
  if (extra.details) check.details = extra.details;
  return check;
}

/** A composite health result; its status follows the checks unless given. */
export function fakeHealth(checks: Record<string, PluginHealth>, durationMs = 5): HealthResult {
  const all = Object.values(checks);
  const status: HealthStatus = all.some((c) => c.status === 'fail' && !c.optional)
    ? 'fail'
    : all.some((c) => c.status !== 'pass')
      ? 'warn'
      : 'pass';
  return { status, time: '2025-01-01T00:01:00.000Z', durationMs, cached: false, checks };
}
