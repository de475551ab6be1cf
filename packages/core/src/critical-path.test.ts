import { describe, expect, it } from 'vitest';
import { criticalPath, settledAt } from './critical-path.js';
import type { PluginReport, PluginStatus } from './report.js';

function plugin(
  name: string,
  status: PluginStatus,
  times: { depsReadyMs?: number; readyMs?: number; endMs?: number } = {},
  dependsOn: string[] = [],
): PluginReport {
  return { name, dependsOn, optional: false, status, queuedMs: 0, attempts: [], steps: [], ...times };
}

describe('criticalPath', () => {
  it('walks back from the plugin that settled last through the dependency each one waited for', () => {
    const plugins = [
      plugin('slow', 'ready', { depsReadyMs: 0, readyMs: 300 }),
      plugin('db', 'ready', { depsReadyMs: 0, readyMs: 100 }),
      plugin('repo', 'ready', { depsReadyMs: 100, readyMs: 150 }, ['db']),
      plugin('api', 'ready', { depsReadyMs: 300, readyMs: 310 }, ['repo', 'slow']),
    ];
    expect(criticalPath(plugins, 310)).toEqual({ path: ['slow', 'api'], endMs: 310 });
  });

  it('counts a plugin still starting as settling now, so a live report names what it waits for', () => {
    const plugins = [
      plugin('db', 'ready', { depsReadyMs: 0, readyMs: 100 }),
      plugin('cache', 'starting', { depsReadyMs: 0 }),
      plugin('api', 'pending', {}, ['db', 'cache']),
    ];
    expect(criticalPath(plugins, 250)).toEqual({ path: ['cache'], endMs: 250 });
    expect(settledAt(plugins[1]!, 250)).toBe(250);
    expect(settledAt(plugins[2]!, 250)).toBeUndefined();
  });

  it('leaves out plugins that never began, even when they ended last', () => {
    const plugins = [
      plugin('api', 'aborted', { endMs: 120 }, ['db']),
      plugin('db', 'failed', { depsReadyMs: 0, endMs: 100 }),
      plugin('metrics', 'skipped', { endMs: 130 }, ['db']),
    ];
    expect(criticalPath(plugins, 130)).toEqual({ path: ['db'], endMs: 100 });
  });

  it('gives ties to the plugin listed first', () => {
    const plugins = [
      plugin('a', 'ready', { depsReadyMs: 0, readyMs: 50 }),
      plugin('b', 'ready', { depsReadyMs: 0, readyMs: 50 }),
      plugin('c', 'ready', { depsReadyMs: 50, readyMs: 60 }, ['b', 'a']),
    ];
    expect(criticalPath(plugins, 60).path).toEqual(['b', 'c']);
    expect(criticalPath(plugins.slice(0, 2), 50).path).toEqual(['a']);
  });

  it('ends on a report whose dependsOn forms a cycle (a forged or corrupt history entry)', () => {
    const plugins = [
      plugin('a', 'ready', { depsReadyMs: 0, readyMs: 20 }, ['b']),
      plugin('b', 'ready', { depsReadyMs: 0, readyMs: 10 }, ['a']),
    ];
    expect(criticalPath(plugins, 20)).toEqual({ path: ['b', 'a'], endMs: 20 });
  });

  it('is empty, ending at 0, when no plugin began', () => {
    expect(criticalPath([], 0)).toEqual({ path: [], endMs: 0 });
    expect(criticalPath([plugin('a', 'pending')], 40)).toEqual({ path: [], endMs: 0 });
  });
});
