import type { HealthResult, StartupReport } from '@startup/core';
import { type HealthPayload, type HealthPayloadOptions, healthPayload } from '@startup/monitor';
import type { ProbePhase } from './phase.js';
import type { ResolvedProbeOptions } from './probe-options.js';

/** A `/health` answer: the serialised body and its HTTP status. */
export interface HealthAnswer {
  statusCode: number;
  body: string;
}

/**
 * The `/health` body and its HTTP status: 200 for pass and warn, 503 for fail (as the draft says). While the
 * start runs, a service that is not up yet shows why (its last failed attempt); once a drain began the status is
 * `fail` with the output `shutting down`, whatever the services say.
 *
 * Once started, an answer whose checks all pass is built and serialised once per health run and reused while
 * core's health cache returns that run (1 s by default): nothing it is made of changes meanwhile (the report is
 * settled, and the monitor's analysis, trend and objectives are the same objects). Anything else is built anew.
 */
export function healthResponder(
  options: ResolvedProbeOptions,
  phase: () => ProbePhase,
): () => Promise<HealthAnswer> {
  const { app, monitor } = options;
  let last: { key: readonly unknown[]; answer: HealthAnswer } | undefined;
  return async () => {
    const result = await app.health();
    const started = phase() === 'started' && result.status === 'pass';
    // A cached run comes as a copy of the run's result (`cached: true`), with the run's own `checks`.
    const key = started ? [result.checks, monitor?.analysis(), monitor?.trend(), monitor?.slo()] : undefined;
    if (key !== undefined && last !== undefined && sameKey(last.key, key)) return last.answer;
    const { statusCode, body } = healthBody(options, phase, result);
    const answer = { statusCode, body: JSON.stringify(body) };
    // A drain that began while the body was built: the next request builds it again.
    last = key !== undefined && phase() === 'started' ? { key, answer } : undefined;
    return answer;
  };
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function healthBody(
  options: ResolvedProbeOptions,
  phase: () => ProbePhase,
  health: HealthResult,
): { statusCode: number; body: HealthPayload } {
  const { app, monitor, service, componentTypes } = options;
  const result = explainPending(health, app.report());
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
