import type { HealthResult, StartupReport } from '@startup/core';
import type { HealthPayload } from '@startup/monitor';
import type { SampleContext } from './sample-context.js';

/** How each service shows in `/health` (`componentType` of the IETF draft). */
const componentTypes: Readonly<Record<string, string>> = {
  postgres: 'datastore',
  redis: 'datastore',
  nats: 'component',
  'events-table': 'datastore',
  'events-stream': 'component',
};

/**
 * The `/health` body and its HTTP status: 200 for pass and warn, 503 for fail (as the draft says).
 * While the start runs, a service that is not up yet shows why: its last failed attempt.
 */
export async function healthResponse(
  ctx: SampleContext,
): Promise<{ statusCode: number; body: HealthPayload }> {
  const result = await ctx.startup.health();
  const body = ctx.monitor.healthPayload(explainPending(result, ctx.startup.report()), { componentTypes });
  if (ctx.lifecycle.phase === 'stopping' && body.status !== 'fail') {
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
