import type { HealthResult, StartupReport } from '@startup/core';
import { type HealthPayload, type HealthPayloadOptions, healthPayload } from '@startup/monitor';
import type { ProbePhase } from './phase.js';
import type { ResolvedProbeOptions } from './probe-options.js';

/**
 * The `/health` body and its HTTP status: 200 for pass and warn, 503 for fail (as the draft says). While the
 * start runs, a service that is not up yet shows why (its last failed attempt); once a drain began the status is
 * `fail` with the output `shutting down`, whatever the services say.
 */
export async function healthResponse(
  options: ResolvedProbeOptions,
  phase: () => ProbePhase,
): Promise<{ statusCode: number; body: HealthPayload }> {
  const { app, monitor, service, componentTypes } = options;
  const result = explainPending(await app.health(), app.report());
  const payloadOptions: HealthPayloadOptions = {
    componentTypes,
    ...(service === undefined ? {} : { serviceId: service }),
  };
  const body = monitor
    ? monitor.healthPayload(result, payloadOptions)
    : healthPayload(result, app.report(), undefined, payloadOptions);
  if (phase() === 'stopping' && body.status !== 'fail') {
    body.status = 'fail';
    body.output = 'shutting down';
  }
  return { statusCode: body.status === 'fail' ? 503 : 200, body };
}

/** Replaces "not started (starting)" with the last attempt's error, so `/health` says what is wrong. */
function explainPending(result: HealthResult, report: StartupReport): HealthResult {
  const checks = { ...result.checks };
  for (const plugin of report.plugins) {
    const check = checks[plugin.name];
    if (!check || (plugin.status !== 'starting' && plugin.status !== 'pending')) continue;
    const failed = [...plugin.attempts].reverse().find((a) => a.error !== undefined);
    const message =
      plugin.status === 'pending'
        ? `waiting for ${plugin.dependsOn.join(', ')}`
        : failed
          ? `starting: attempt ${failed.attempt} failed: ${failed.error!.message}`
          : `starting: attempt ${plugin.attempts.length} running`;
    checks[plugin.name] = { ...check, error: { ...(check.error ?? { name: 'Error' }), message } };
  }
  return { ...result, checks };
}
