import { describe, expect, it } from 'vitest';
import { degradedStart, readyStart, runningStart } from '../test/sample-starts.js';
import { checkWellFormed } from '../test/xml-well-formed.js';
import { svgWaterfall } from './svg.js';

function rowOf(svg: string, plugin: string): string {
  const start = svg.lastIndexOf('<g ', svg.indexOf(`data-plugin="${plugin}"`));
  expect(start, `row of ${plugin}`).toBeGreaterThan(0);
  return svg.slice(start, svg.indexOf('</g>', start));
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('svgWaterfall', () => {
  it('is a well-formed standalone SVG document', () => {
    for (const report of [readyStart(), degradedStart(), runningStart()]) {
      const svg = svgWaterfall(report);
      expect(checkWellFormed(svg)).toBe('svg');
      expect(svg).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      );
    }
  });

  it('has one row per plugin, in report order', () => {
    const svg = svgWaterfall(readyStart());
    const rows = [...svg.matchAll(/<g class="plugin[^"]*" data-plugin="([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toEqual(['postgres', 'redis', 'nats', 'migrations', 'api']);
  });

  it('highlights the plugins of the critical path and only them', () => {
    const svg = svgWaterfall(readyStart());
    const critical = [...svg.matchAll(/<g class="plugin [^"]*critical" data-plugin="([^"]+)">/g)].map(
      (m) => m[1],
    );
    expect(critical).toEqual(['postgres', 'migrations', 'api']);
    expect(count(svg, /<rect class="critical-row"/g)).toBe(3 + 1); // three rows and the legend swatch
    expect(rowOf(svg, 'migrations')).toContain('>migrations *</text>');
    expect(rowOf(svg, 'redis')).toContain('>redis</text>');
  });

  it('draws waiting, failed attempts, backoff, the successful attempt and the steps as segments', () => {
    const svg = svgWaterfall(readyStart());
    const redis = rowOf(svg, 'redis');
    expect(count(redis, /<rect class="failed"/g)).toBe(2);
    expect(count(redis, /<rect class="backoff"/g)).toBe(2);
    expect(count(redis, /<rect class="success"/g)).toBe(1);
    expect(redis).toContain('redis backoff after attempt 1: 100 ms');
    expect(redis).toContain(
      'redis attempt 2 failed after 29 ms (131 ms → 160 ms): connect ECONNREFUSED 127.0.0.1:6379',
    );
    expect(count(rowOf(svg, 'api'), /<rect class="waiting"/g)).toBe(1);
    expect(count(rowOf(svg, 'postgres'), /<rect class="step"/g)).toBe(2);
    expect(rowOf(svg, 'postgres')).toContain('postgres · step warm pool (attempt 1): 372 ms');
  });

  it('places segments on the shared time axis', () => {
    const svg = svgWaterfall(readyStart());
    const x = (row: string, kind: string) =>
      Number(new RegExp(`<rect class="${kind}" x="([\\d.]+)"`).exec(row)![1]);
    const width = (row: string, kind: string) =>
      Number(new RegExp(`<rect class="${kind}" x="[\\d.]+" y="[\\d.]+" width="([\\d.]+)"`).exec(row)![1]);
    const postgres = rowOf(svg, 'postgres');
    const migrations = rowOf(svg, 'migrations');
    // migrations begins where postgres ends: at 412 ms on an axis of 900 ms (850 rounded up) drawn 800 px wide.
    expect(x(migrations, 'success')).toBeCloseTo(x(postgres, 'success') + width(postgres, 'success'), 1);
    expect(width(postgres, 'success')).toBeCloseTo((412 * 800) / 900, 1);
    expect(width(migrations, 'waiting')).toBeCloseTo((412 * 800) / 900, 1);
  });

  it('draws an axis with a labelled tick at each round step', () => {
    const svg = svgWaterfall(readyStart());
    const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '100', '200', '300', '400', '500', '600', '700', '800', '900', 'ms']);
    expect(count(svg, /<line class="grid"/g)).toBe(10);
  });

  it('shows failed, skipped and running plugins with their status', () => {
    const degraded = svgWaterfall(degradedStart());
    expect(rowOf(degraded, 'search')).toContain('class="plugin status-failed critical"');
    expect(rowOf(degraded, 'search')).toContain('>300 ms failed · 2 tries</text>');
    expect(rowOf(degraded, 'reports')).toContain('reports: skipped because search failed');
    const running = rowOf(svgWaterfall(runningStart()), 'db');
    expect(count(running, /<rect class="running"/g)).toBe(1);
  });

  it('escapes names and error messages, and shows control characters in error messages as pictures', () => {
    const report = readyStart();
    report.plugins[1]!.name = `cache<"&'>`;
    report.plugins[1]!.attempts[0]!.error = {
      name: 'Error',
      code: 'E<1>',
      message: 'bad </svg> & "quotes"\u0000\u001b[31m here',
    };
    const svg = svgWaterfall(report);
    expect(checkWellFormed(svg)).toBe('svg');
    expect(svg).toContain('data-plugin="cache&lt;&quot;&amp;&apos;&gt;"');
    expect(svg).toContain('E&lt;1&gt;: bad &lt;/svg&gt; &amp; &quot;quotes&quot;\u2400\u241b[31m here');
  });

  it('stays well-formed for an empty start and for a start of zero milliseconds', () => {
    const empty = {
      ...readyStart(),
      plugins: [],
      wallMs: 0,
      sumMs: 0,
      criticalPath: [],
      criticalPathEndMs: 0,
      criticalPathMs: 0,
    };
    expect(checkWellFormed(svgWaterfall(empty))).toBe('svg');
    const instant = readyStart();
    for (const p of instant.plugins) {
      p.attempts = [{ attempt: 1, startMs: 0, endMs: 0 }];
      p.depsReadyMs = 0;
      p.readyMs = 0;
    }
    const svg = svgWaterfall({ ...instant, wallMs: 0 });
    expect(checkWellFormed(svg)).toBe('svg');
    expect(count(svg, /<rect class="success" x="[\d.]+" y="[\d.]+" width="1"/g)).toBe(5);
  });
});

describe('the well-formedness check of these tests', () => {
  it('rejects broken XML', () => {
    for (const bad of [
      '<a><b></a>',
      '<a x="1" x="2"/>',
      '<a>&nope;</a>',
      '<a>1 < 2</a>',
      '<a x=1/>',
      '<a/><b/>',
      '<a>',
      'text<a/>',
      '<a>\u0001</a>',
    ]) {
      expect(() => checkWellFormed(bad), bad).toThrow();
    }
    expect(checkWellFormed('<?xml version="1.0"?>\n<a k="&amp;"><!-- c --><b/>x &#38; y</a>\n')).toBe('a');
  });
});
