import type { StartupReport } from '@startup/core';
import { analyze, type StartupAnalysis } from './analyze.js';

/** Options of {@link traceStartup}. */
export interface TraceOptions {
  /** Name of the tracer. Defaults to `@startup/monitor`. */
  tracerName?: string;
  /** The analysis of `report`, if already computed. */
  analysis?: StartupAnalysis;
  /** Set as the `startup.service` attribute of the root span. */
  service?: string;
}

type OtelApi = typeof import('@opentelemetry/api');
type Attributes = Record<string, string | number | boolean | string[]>;

/**
 * Records a finished start as OpenTelemetry spans through `@opentelemetry/api` (an optional peer):
 * a `startup` span over the wall time, a `startup.plugin <name>` child per plugin that began (from
 * `init` beginning to ready or failed; retries as span events, error status when it failed) and a
 * `startup.step <name>` child per recorded step. Times come from the report, so it may run after the
 * start. Resolves to false, doing nothing, when `@opentelemetry/api` is not installed.
 * @example app.on('startup:ready', ({ report }) => void traceStartup(report));
 */
export async function traceStartup(report: StartupReport, options: TraceOptions = {}): Promise<boolean> {
  let api: OtelApi;
  try {
    api = await import('@opentelemetry/api');
  } catch {
    return false;
  }
  const analysis = options.analysis ?? analyze(report);
  const tracer = api.trace.getTracer(options.tracerName ?? '@startup/monitor');
  const origin = Date.parse(report.startedAt);
  const at = (ms: number) => origin + ms;
  const rootAttributes: Attributes = {
    'startup.status': analysis.status,
    'startup.wall_ms': analysis.wallMs,
    'startup.sum_ms': analysis.sumMs,
    'startup.efficiency': analysis.efficiency,
    'startup.grade': analysis.grade.grade,
    'startup.critical_path': analysis.criticalPath,
  };
  if (options.service !== undefined) rootAttributes['startup.service'] = options.service;
  const root = tracer.startSpan('startup', { startTime: origin, attributes: rootAttributes });
  if (analysis.status === 'failed' || analysis.status === 'aborted') {
    root.setStatus({ code: api.SpanStatusCode.ERROR, message: analysis.error?.message ?? analysis.status });
  }
  const rootContext = api.trace.setSpan(api.context.active(), root);
  for (const p of analysis.plugins) {
    if (p.startMs === undefined) continue;
    const source = report.plugins.find((r) => r.name === p.name)!;
    const span = tracer.startSpan(
      `startup.plugin ${p.name}`,
      {
        startTime: at(p.startMs),
        attributes: {
          'startup.plugin': p.name,
          'startup.plugin.status': p.status,
          'startup.plugin.attempts': p.attempts,
          'startup.plugin.wait_ms': p.waitMs,
          'startup.plugin.own_ms': p.ownMs,
          'startup.plugin.backoff_ms': p.backoffMs,
          'startup.plugin.critical_path': p.onCriticalPath,
        },
      },
      rootContext,
    );
    for (const a of source.attempts) {
      if (a.error && a.delayMs !== undefined) {
        const attributes: Attributes = {
          'startup.attempt': a.attempt,
          'startup.retry.delay_ms': a.delayMs,
          'error.message': a.error.message,
        };
        if (a.error.code) attributes['error.type'] = a.error.code;
        span.addEvent('retry', attributes, at(a.endMs ?? a.startMs));
      }
    }
    const spanContext = api.trace.setSpan(rootContext, span);
    for (const s of source.steps) {
      const step = tracer.startSpan(
        `startup.step ${s.name}`,
        { startTime: at(s.startMs), attributes: { 'startup.plugin': p.name, 'startup.attempt': s.attempt } },
        spanContext,
      );
      if (s.error) step.setStatus({ code: api.SpanStatusCode.ERROR, message: s.error.message });
      step.end(at(s.endMs ?? p.endMs ?? analysis.wallMs));
    }
    if (p.status === 'failed' || p.status === 'aborted') {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: source.error?.message ?? p.status });
    }
    span.end(at(p.endMs ?? analysis.wallMs));
  }
  root.end(at(analysis.wallMs));
  return true;
}
