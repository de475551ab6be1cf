import {
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { traceStartup } from './otel.js';

interface Recorded {
  name: string;
  parent?: string;
  startTime: number;
  endTime?: number;
  attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  events: { name: string; attributes?: Record<string, unknown>; time?: number }[];
}

/** The smallest tracer provider that records what the API hands it. */
class FakeProvider implements TracerProvider {
  spans: Recorded[] = [];
  tracerNames: string[] = [];
  #ids = 0;
  getTracer(name: string): Tracer {
    this.tracerNames.push(name);
    const startSpan = (spanName: string, options: SpanOptions = {}, ctx?: Context): Span => {
      const parent = ctx ? (trace.getSpan(ctx) as (Span & { recorded?: Recorded }) | undefined) : undefined;
      const recorded: Recorded = {
        name: spanName,
        startTime: options.startTime as number,
        attributes: { ...options.attributes },
        events: [],
      };
      if (parent?.recorded) recorded.parent = parent.recorded.name;
      this.spans.push(recorded);
      const spanContext: SpanContext = {
        traceId: '1'.repeat(32),
        spanId: String(++this.#ids).padStart(16, '0'),
        traceFlags: 1,
      };
      const span = {
        recorded,
        spanContext: () => spanContext,
        setAttribute: () => span,
        setAttributes: () => span,
        addEvent: (n: string, attributes?: Record<string, unknown>, time?: number) => {
          recorded.events.push({ name: n, attributes, time });
          return span;
        },
        addLink: () => span,
        addLinks: () => span,
        setStatus: (status: { code: number; message?: string }) => {
          recorded.status = status;
          return span;
        },
        updateName: () => span,
        end: (time?: number) => {
          recorded.endTime = time;
        },
        isRecording: () => true,
        recordException: () => undefined,
      };
      return span as unknown as Span;
    };
    return { startSpan, startActiveSpan: (() => undefined) as never };
  }
}

describe('traceStartup', () => {
  let provider: FakeProvider;
  beforeEach(() => {
    provider = new FakeProvider();
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => trace.disable());

  it('records a root span and one child span per plugin with report times', async () => {
    const origin = Date.parse('2025-01-01T00:00:00.000Z');
    const report = fakeReport([
      fakePlugin('postgres', {
        startMs: 0,
        attemptsMs: [100, 200],
        delaysMs: [50],
        steps: [{ name: 'warm-up', startMs: 200, endMs: 350, attempt: 2 }],
      }),
      fakePlugin('api', { dependsOn: ['postgres'], startMs: 350, attemptsMs: [50] }),
      fakePlugin('cache', { dependsOn: ['api'], status: 'pending' }),
    ]);
    expect(await traceStartup(report, { service: 'orders' })).toBe(true);
    expect(provider.tracerNames).toEqual(['@startup/monitor']);
    const byName = Object.fromEntries(provider.spans.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual([
      'startup',
      'startup.plugin postgres',
      'startup.step warm-up',
      'startup.plugin api',
    ]);
    expect(byName.startup).toMatchObject({
      startTime: origin,
      endTime: origin + 400,
      attributes: {
        'startup.status': 'ready',
        'startup.wall_ms': 400,
        'startup.grade': 'A',
        'startup.service': 'orders',
      },
    });
    expect(byName.startup!.status).toBeUndefined();
    expect(byName['startup.plugin postgres']).toMatchObject({
      parent: 'startup',
      startTime: origin,
      endTime: origin + 350,
      attributes: {
        'startup.plugin.attempts': 2,
        'startup.plugin.backoff_ms': 50,
        'startup.plugin.critical_path': true,
      },
      events: [
        {
          name: 'retry',
          time: origin + 100,
          attributes: { 'startup.attempt': 1, 'error.type': 'ECONNREFUSED' },
        },
      ],
    });
    expect(byName['startup.step warm-up']).toMatchObject({
      parent: 'startup.plugin postgres',
      startTime: origin + 200,
      endTime: origin + 350,
    });
    expect(byName['startup.plugin api']).toMatchObject({
      parent: 'startup',
      startTime: origin + 350,
      endTime: origin + 400,
    });
  });

  it('marks a failed plugin and a failed start with an error status', async () => {
    const report = fakeReport([fakePlugin('redis', { startMs: 0, attemptsMs: [30], status: 'failed' })]);
    report.error = { name: 'StartupFailedError', message: 'Startup failed' };
    await traceStartup(report);
    expect(provider.spans.map((s) => [s.name, s.status])).toEqual([
      ['startup', { code: SpanStatusCode.ERROR, message: 'Startup failed' }],
      ['startup.plugin redis', { code: SpanStatusCode.ERROR, message: 'attempt 1 failed (ECONNREFUSED)' }],
    ]);
  });
});
