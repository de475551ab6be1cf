import { describe, expect, it } from 'vitest';
import { fakeCheck, fakeHealth } from '../test/health-fixture.js';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import { prometheusContentType, prometheusMetrics } from './prometheus.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  help: string;
  type: string;
  samples: Sample[];
}

/** A strict parser of the 0.0.4 text format, enough for gauges: throws on anything malformed. */
function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  expect(text.endsWith('\n')).toBe(true);
  let current: string | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      const f = families.get(name) ?? { help: '', type: '', samples: [] };
      families.set(name, f);
      if (kind === 'HELP') f.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else {
        expect(['gauge', 'counter', 'summary', 'histogram', 'untyped']).toContain(rest);
        expect(f.samples).toHaveLength(0);
        f.type = rest;
      }
      current = name;
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`malformed line: ${line}`);
    const [, name, rawLabels, rawValue] = m as unknown as [string, string, string | undefined, string];
    if (name !== current) throw new Error(`sample of ${name} outside its family`);
    const family = families.get(name)!;
    if (!family.type || !family.help) throw new Error(`${name} lacks HELP or TYPE before its samples`);
    const labels: Record<string, string> = {};
    if (rawLabels) {
      const body = rawLabels.slice(1, -1);
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/y;
      let consumed = 0;
      while (consumed < body.length) {
        re.lastIndex = consumed;
        const l = re.exec(body);
        if (!l) throw new Error(`bad labels: ${rawLabels}`);
        labels[l[1]!] = l[2]!.replace(/\\(\\|"|n)/g, (_, c: string) => (c === 'n' ? '\n' : c));
        consumed = re.lastIndex;
      }
    }
    const value = rawValue === '+Inf' ? Number.POSITIVE_INFINITY : Number(rawValue);
    if (Number.isNaN(value) && rawValue !== 'NaN') throw new Error(`bad value ${rawValue}`);
    family.samples.push({ name, labels, value });
  }
  return families;
}

const report = fakeReport([
  fakePlugin('postgres', { startMs: 0, attemptsMs: [400, 600], delaysMs: [1_000] }),
  fakePlugin('redis', { startMs: 0, attemptsMs: [250] }),
]);

describe('prometheusMetrics', () => {
  it('exposes start-up duration, efficiency and per-plugin figures in seconds', () => {
    const families = parse(prometheusMetrics({ report }));
    expect(families.get('startup_duration_seconds')!.samples).toEqual([
      { name: 'startup_duration_seconds', labels: {}, value: 2 },
    ]);
    expect(families.get('startup_info')!.samples[0]!.labels).toEqual({ status: 'ready', grade: 'A' });
    expect(families.get('startup_parallel_efficiency_ratio')!.samples[0]!.value).toBeCloseTo(1.125);
    const duration = families.get('startup_plugin_duration_seconds')!;
    expect(duration.type).toBe('gauge');
    expect(duration.samples.map((s) => [s.labels.plugin, s.value])).toEqual([
      ['postgres', 2],
      ['redis', 0.25],
    ]);
    expect(families.get('startup_plugin_attempts')!.samples.map((s) => s.value)).toEqual([2, 1]);
    expect(families.get('startup_plugin_backoff_seconds')!.samples.map((s) => s.value)).toEqual([1, 0]);
  });

  it('labels a failed start grade F, however fast it failed', () => {
    const failed = fakeReport([fakePlugin('postgres', { startMs: 0, attemptsMs: [400], status: 'failed' })]);
    const families = parse(prometheusMetrics({ report: failed }));
    expect(families.get('startup_info')!.samples[0]!.labels).toEqual({ status: 'failed', grade: 'F' });
  });

  it('exposes breaker state as 0/1/2 with newer event states winning, and health-check latency', () => {
    const health = fakeHealth({
      postgres: fakeCheck('fail', 5_000, { breaker: 'OPEN', error: 'down' }),
      redis: fakeCheck('pass', 1.5),
      nats: fakeCheck('pass', 2),
    });
    const families = parse(
      prometheusMetrics({
        health,
        breakers: { nats: 'HALF_OPEN' },
        healthRuns: { count: 2, avgMs: 10, p95Ms: 12 },
      }),
    );
    expect(families.get('startup_breaker_state')!.samples.map((s) => [s.labels.plugin, s.value])).toEqual([
      ['postgres', 2],
      ['redis', 0],
      ['nats', 1],
    ]);
    expect(families.get('startup_health_check_duration_seconds')!.samples.map((s) => s.value)).toEqual([
      5, 0.0015, 0.002,
    ]);
    expect(families.get('startup_health_check_up')!.samples.map((s) => s.value)).toEqual([0, 1, 1]);
    expect(families.get('startup_health_run_duration_p95_seconds')!.samples[0]!.value).toBe(0.012);
    expect(families.has('startup_duration_seconds')).toBe(false);
  });

  it('escapes label values and HELP text', () => {
    const odd = 'we"ird\\name\nx';
    const text = prometheusMetrics(
      { report: fakeReport([fakePlugin(odd, { startMs: 0, attemptsMs: [5] })]) },
      { labels: { service: 'a"b' }, prefix: 'app_start_' },
    );
    expect(text).toContain('plugin="we\\"ird\\\\name\\nx"');
    const families = parse(text);
    const sample = families.get('app_start_plugin_attempts')!.samples[0]!;
    expect(sample.labels).toEqual({ service: 'a"b', plugin: odd });
    for (const f of families.values()) expect(f.help.length).toBeGreaterThan(0);
  });

  it('gives an empty exposition when there is nothing to expose', () => {
    expect(prometheusMetrics({})).toBe('');
    expect(prometheusContentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('rejects a bad prefix or label name', () => {
    expect(() => prometheusMetrics({}, { prefix: '9x' })).toThrow(/"prefix"/);
    expect(() => prometheusMetrics({}, { labels: { 'bad-name': 'x' } })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });
});
