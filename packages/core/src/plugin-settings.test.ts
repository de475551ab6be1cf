import { describe, expect, it } from 'vitest';
import { createBulkhead } from './bulkhead.js';
import { pluginSettings } from './plugin-settings.js';

describe('pluginSettings', () => {
  it('returns the settings given, as given, and nothing for those left out', () => {
    const retry = { maxAttempts: 3 };
    const timeouts = { attemptMs: 500, pluginMs: Number.POSITIVE_INFINITY };
    expect(pluginSettings({}, 'db')).toEqual({});
    const settings = pluginSettings({ optional: false, retry, breaker: { openMs: 10 }, timeouts }, 'db');
    expect(settings).toEqual({ optional: false, retry, breaker: { openMs: 10 }, timeouts });
    expect(settings.retry).toBe(retry);
  });

  it('passes a shared bulkhead on as the same object', () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, name: 'postgres' });
    expect(pluginSettings({ bulkhead }, 'db').bulkhead).toBe(bulkhead);
    expect(pluginSettings({ bulkhead }, 'db2').bulkhead).toBe(bulkhead);
  });

  it.each([
    [{ optional: 1 }, '"optional" of plugin "db"'],
    [{ retry: true }, '"retry" of plugin "db"'],
    [{ retry: { multiplier: 0 } }, '"retry.multiplier" of plugin "db"'],
    [{ retry: { maxAttemps: 3 } }, '"retry.maxAttemps" of plugin "db"'],
    [{ breaker: { openMs: -1 } }, '"breaker.openMs" of plugin "db"'],
    [{ timeouts: { healthMs: Number.POSITIVE_INFINITY } }, '"timeouts.healthMs" of plugin "db"'],
    [{ timeouts: { attemptMs: 0 } }, '"timeouts.attemptMs" of plugin "db"'],
    [{ timeouts: { closMs: 1 } }, '"timeouts.closMs" of plugin "db"'],
    [{ bulkhead: { maxConcurrent: 2 } }, '"bulkhead" of plugin "db"'],
    [{ bulkhead: 2 }, '"bulkhead" of plugin "db"'],
  ])('rejects %j naming the field', (options, named) => {
    expect(() => pluginSettings(options as never, 'db')).toThrow(named);
  });
});
