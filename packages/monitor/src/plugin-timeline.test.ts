import { describe, expect, it } from 'vitest';
import { degradedStart, failedStart, readyStart, runningStart } from '../test/sample-starts.js';
import { pluginDuration, pluginTimeline, timelineEnd } from './plugin-timeline.js';

const plugin = (report: ReturnType<typeof readyStart>, name: string) =>
  report.plugins.find((p) => p.name === name)!;
const shape = (segments: ReturnType<typeof pluginTimeline>) =>
  segments.map((s) => [s.kind, s.startMs, s.endMs]);

describe('pluginTimeline', () => {
  it('splits retries into failed attempts, the backoff after each and the successful attempt', () => {
    const report = readyStart();
    expect(shape(pluginTimeline(plugin(report, 'redis'), report.wallMs))).toEqual([
      ['failed', 0, 31],
      ['backoff', 31, 131],
      ['failed', 131, 160],
      ['backoff', 160, 360],
      ['success', 360, 395],
    ]);
    expect(pluginTimeline(plugin(report, 'redis'), report.wallMs)[0]!.error?.code).toBe('ECONNREFUSED');
  });

  it('starts a dependant with its wait on dependencies', () => {
    const report = readyStart();
    expect(shape(pluginTimeline(plugin(report, 'api'), report.wallMs))).toEqual([
      ['waiting', 0, 780],
      ['success', 780, 850],
    ]);
    expect(shape(pluginTimeline(plugin(report, 'nats'), report.wallMs))).toEqual([['success', 0, 120]]);
  });

  it('gives the last attempt of a failed plugin its final error, and a skipped plugin only its wait', () => {
    const report = degradedStart();
    const search = pluginTimeline(plugin(report, 'search'), report.wallMs);
    expect(shape(search)).toEqual([
      ['failed', 0, 100],
      ['backoff', 100, 150],
      ['failed', 150, 300],
    ]);
    expect(search[2]!.error?.code).toBe('STARTUP_ERR_ATTEMPT_TIMEOUT');
    expect(shape(pluginTimeline(plugin(report, 'reports'), report.wallMs))).toEqual([['waiting', 0, 300]]);
  });

  it('ends open stretches of a running start at the time of the report', () => {
    const report = runningStart();
    expect(shape(pluginTimeline(plugin(report, 'db'), report.wallMs))).toEqual([
      ['failed', 0, 50],
      ['backoff', 50, 130],
      ['running', 130, 200],
    ]);
    expect(shape(pluginTimeline(plugin(report, 'app'), report.wallMs))).toEqual([['waiting', 0, 200]]);
  });

  it('cuts the backoff after the last attempt short when the plugin gave up', () => {
    const report = degradedStart();
    const search = plugin(report, 'search');
    search.attempts[1]!.delayMs = 500;
    expect(pluginTimeline(search, report.wallMs).at(-1)).toMatchObject({ kind: 'failed', endMs: 300 });
    const aborted = failedStart();
    expect(shape(pluginTimeline(plugin(aborted, 'api'), aborted.wallMs))).toEqual([['waiting', 0, 700]]);
  });
});

describe('timelineEnd and pluginDuration', () => {
  it('end the picture at the wall time or at a later segment', () => {
    expect(timelineEnd(readyStart())).toBe(850);
    const late = readyStart({ wallMs: 800 });
    expect(timelineEnd(late)).toBe(850);
  });

  it('use the recorded duration, else the time since the dependencies were ready', () => {
    const report = runningStart();
    expect(pluginDuration(plugin(readyStart(), 'redis'), 850)).toBe(395);
    expect(pluginDuration(plugin(report, 'db'), report.wallMs)).toBe(200);
    expect(pluginDuration(plugin(report, 'app'), report.wallMs)).toBeUndefined();
  });
});
