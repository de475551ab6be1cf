import { afterEach, describe, expect, it, vi } from 'vitest';
import { degradedStart, readyStart, runningStart } from '../test/sample-starts.js';
import { stripAnsi } from './terminal-color.js';
import { waterfall } from './waterfall.js';

const plain = (report = readyStart(), width = 80) => waterfall(report, { width, color: false });
const lineOf = (text: string, plugin: string) => text.split('\n').find((l) => l.startsWith(`${plugin} `))!;
// The bar of a plugin: the columns under the ruler (┬───┬ … ┬), which spans the bar and one more column.
function barOf(text: string, plugin: string): string {
  const ruler = text.split('\n').find((l) => l.includes('┬'))!;
  const start = ruler.indexOf('┬');
  return lineOf(text, plugin).slice(start, ruler.lastIndexOf('┬'));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('waterfall', () => {
  it('draws one bar per plugin, in report order, with its duration', () => {
    const text = plain();
    const ruler = text.split('\n').findIndex((l) => l.includes('┬'));
    const rows = text.split('\n').slice(ruler + 1, ruler + 6);
    expect(rows.map((l) => l.split(' ')[0])).toEqual(['postgres', 'redis', 'nats', 'migrations', 'api']);
    expect(text.split('\n')[ruler + 6]).toBe('');
    expect(lineOf(text, 'postgres')).toMatch(/ 412 ms$/);
    expect(lineOf(text, 'redis')).toMatch(/ 395 ms, 3 tries$/);
    expect(lineOf(text, 'api')).toMatch(/ 70 ms$/);
  });

  it('marks the plugins of the critical path with * and no others', () => {
    const text = plain();
    expect(lineOf(text, 'postgres')).toMatch(/^postgres \* /);
    expect(lineOf(text, 'migrations')).toMatch(/^migrations \* /);
    expect(lineOf(text, 'api')).toMatch(/^api \* /);
    expect(lineOf(text, 'redis')).not.toContain('*');
    expect(lineOf(text, 'nats')).not.toContain('*');
    expect(text).toContain('critical path postgres → migrations → api (850 ms)');
  });

  it('shows the wait on dependencies, then the attempt, on the shared time axis', () => {
    const text = plain();
    const postgres = barOf(text, 'postgres');
    const migrations = barOf(text, 'migrations');
    const api = barOf(text, 'api');
    expect(migrations).toMatch(/^·+█+ *$/);
    expect(api).toMatch(/^·+█+ *$/);
    // migrations waits exactly as long as postgres works: its attempt begins in the column after postgres ends.
    expect(migrations.indexOf('█')).toBe(postgres.lastIndexOf('█') + 1);
    expect(api.indexOf('█')).toBe(migrations.lastIndexOf('█') + 1);
    expect(barOf(text, 'nats')).toMatch(/^█+ *$/);
  });

  it('shows failed attempts, backoff and the successful attempt in order', () => {
    const redis = barOf(plain(), 'redis');
    expect(redis).toMatch(/^▒+░+▒+░+█+ *$/);
    const notes = plain(readyStart(), 120);
    expect(notes).toContain(
      'attempt 1 failed after 31 ms, then 100 ms backoff: connect ECONNREFUSED 127.0.0.1:6379',
    );
    expect(notes).toContain(
      'attempt 2 failed after 29 ms, then 200 ms backoff: connect ECONNREFUSED 127.0.0.1:6379',
    );
    expect(notes).toContain('attempt 3 ready after 35 ms');
  });

  it('labels the time axis with round ticks and its unit', () => {
    const lines = plain().split('\n');
    const ruler = lines.find((l) => l.includes('┬'))!;
    expect(ruler).toMatch(/┬─+┬.*┬ ms$/);
    const labels = lines[lines.indexOf(ruler) - 1]!.trim().split(/\s+/);
    expect(labels).toEqual(['0', '200', '400', '600', '800', '1000']);
  });

  it('shows a failed plugin, the plugin skipped because of it, and why', () => {
    const text = plain(degradedStart(), 120);
    expect(text).toContain('Start degraded in 300 ms');
    expect(lineOf(text, 'search')).toMatch(/▒+░+▒+ +300 ms failed, 2 tries$/);
    expect(lineOf(text, 'reports')).toMatch(/^reports +·+ +skipped$/);
    expect(text).toContain('reports skipped: search failed');
    expect(text).toContain('attempt 2 failed after 150 ms: STARTUP_ERR_ATTEMPT_TIMEOUT: Attempt 2 of plugin');
  });

  it('shows a start that is still running', () => {
    const text = plain(runningStart());
    expect(text).toContain('Start running for 200 ms');
    expect(barOf(text, 'db')).toMatch(/^▒+░+▓+ *$/);
    expect(lineOf(text, 'app')).toMatch(/·+ +pending$/);
    expect(text).toContain('▓ running');
  });

  it('keeps every line within the width', () => {
    for (const width of [40, 60, 80, 132]) {
      for (const report of [readyStart(), degradedStart(), runningStart()]) {
        const lines = waterfall(report, { width, color: false }).split('\n');
        for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('has a legend of every glyph', () => {
    const text = plain();
    for (const item of [
      '· waiting on dependencies',
      '▒ failed attempt',
      '░ backoff',
      '█ attempt that succeeded',
      '* critical path',
    ]) {
      expect(text).toContain(item);
    }
  });

  it('colours with ANSI only when asked, and the visible text is the same', () => {
    const coloured = waterfall(readyStart(), { color: true });
    expect(coloured).toContain('\u001b[32m█');
    expect(coloured).toContain('\u001b[1mpostgres *');
    expect(plain()).not.toContain('\u001b[');
    expect(stripAnsi(coloured)).toBe(plain());
  });

  it('shows control characters of names and server errors as pictures, never sends them', () => {
    const report = degradedStart();
    report.plugins[1]!.name = 'search\u001b[2J';
    for (const a of report.plugins[1]!.attempts) {
      if (a.error) a.error = { ...a.error, message: 'server said \u001b[31mHACKED\u001b[0m\u0085' };
    }
    const text = plain(report, 120);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach the terminal
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('search\u241b[2J');
    expect(text).toContain('server said \u241b[31mHACKED\u241b[0m');
  });

  it('follows NO_COLOR and FORCE_COLOR when no colour option is given', () => {
    vi.stubEnv('FORCE_COLOR', '1');
    expect(waterfall(readyStart())).toContain('\u001b[');
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('NO_COLOR', '1');
    expect(waterfall(readyStart())).not.toContain('\u001b[');
  });

  it('draws an attempt of zero milliseconds as one column and an empty start without failing', () => {
    const instant = readyStart({ wallMs: 0 });
    instant.plugins = [
      { ...instant.plugins[2]!, readyMs: 0, durationMs: 0, attempts: [{ attempt: 1, startMs: 0, endMs: 0 }] },
    ];
    expect(barOf(plain(instant), 'nats')).toMatch(/^█ *$/);
    const empty = readyStart({ plugins: [], wallMs: 0, criticalPath: [] });
    expect(plain(empty)).toContain('critical path none');
  });

  it('rejects a width under 40 columns with STARTUP_ERR_INVALID_OPTION', () => {
    expect(() => waterfall(readyStart(), { width: 20 })).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('"width"'),
      }),
    );
    expect(() => waterfall(readyStart(), { width: 80.5 })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });
});
