import { describe, expect, it } from 'vitest';
import { isStartupError } from './errors.js';
import { optionSchema } from './option-schema.js';
import type { PluginSettings } from './plugin-settings.js';

interface CacheOptions extends PluginSettings {
  name?: string;
  url?: string;
  connectTimeoutMs?: number;
  retryUnresolvedHost?: boolean;
}

const schema = optionSchema<CacheOptions>()({
  name: { default: 'cache', from: 'this package', why: 'Key of the client in `app.resources`.' },
  url: { from: '—', why: '`cache://host:port`, or a | in a cell' },
  connectTimeoutMs: { default: 3_000, from: 'the spec', why: 'One handshake.' },
  retryUnresolvedHost: { default: true, shown: '`true` (see below)', from: 'this package', why: '' },
});

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return isStartupError(error) ? `${error.code}: ${error.message}` : error;
  }
  return undefined;
}

describe('optionSchema', () => {
  it('derives the defaults of the options that have one, frozen', () => {
    expect(schema.defaults).toEqual({ name: 'cache', connectTimeoutMs: 3_000, retryUnresolvedHost: true });
    expect(Object.isFrozen(schema.defaults)).toBe(true);
  });

  it('accepts its own keys and the plugin settings', () => {
    expect(schema.keys).toEqual([
      'name',
      'url',
      'connectTimeoutMs',
      'retryUnresolvedHost',
      'optional',
      'retry',
      'breaker',
      'timeouts',
      'bulkhead',
    ]);
  });

  it('derives the README rows: defaults shown in backticks or as given, none when absent, plugin settings last', () => {
    const rows = schema.rows();
    expect(rows.slice(0, 4)).toEqual([
      ['`name`', "`'cache'`", 'this package', 'Key of the client in `app.resources`.'],
      ['`url`', 'none', '—', '`cache://host:port`, or a | in a cell'],
      ['`connectTimeoutMs`', '`3000`', 'the spec', 'One handshake.'],
      ['`retryUnresolvedHost`', '`true` (see below)', 'this package', ''],
    ]);
    expect(rows[4]?.[0]).toBe('`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`');
  });

  it('writes the table aligned, a pipe in a cell escaped', () => {
    const lines = schema.table().split('\n');
    expect(lines[0]).toMatch(/^\| Option +\| Default +\| Where it comes from +\| Why +\|$/);
    expect(lines[1]).toMatch(/^\| -+ \| -+ \| -+ \| -+ \|$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines[3]).toContain('or a \\| in a cell');
  });

  it('accepts options: the name (defaulted), the plugin settings given', () => {
    const accepted = schema.accept({ url: 'cache://x', optional: true, retry: false });
    expect(accepted).toMatchObject({ name: 'cache', at: { plugin: 'cache' } });
    expect(accepted.settings).toEqual({ optional: true, retry: false });
    expect(schema.accept({ name: 'sessions' }).name).toBe('sessions');
  });

  it('rejects, naming the field and plugin, before anything connects', () => {
    expect(codeOf(() => schema.accept(null))).toMatch(
      /^STARTUP_ERR_INVALID_OPTION: Invalid option "options"/,
    );
    expect(codeOf(() => schema.accept({ name: ' ' }))).toMatch(/"name"/);
    expect(codeOf(() => schema.accept({ name: 'c', urll: 'x' }))).toMatch(/"urll" of plugin "c"/);
    expect(codeOf(() => schema.accept({ optional: 'yes' }))).toMatch(/"optional" of plugin "cache"/);
    expect(codeOf(() => schema.accept({ timeouts: { attemptMs: -1 } }))).toMatch(/"timeouts.attemptMs"/);
  });
});
