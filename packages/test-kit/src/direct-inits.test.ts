import { definePlugin, StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { directInits } from './direct-inits.js';

/** A plugin whose resource records its close; `init` does what `outcome` says. */
const plugin = (outcome: 'resolve' | 'startup-error' | 'other-error', closed: string[] = []) =>
  definePlugin({
    name: 'db',
    init: async () => {
      if (outcome === 'startup-error')
        throw new StartupError('STARTUP_ERR_FAILED', 'down', { retryable: true });
      if (outcome === 'other-error') throw new TypeError('bug');
      return { id: closed.length };
    },
    close: (resource: { id: number }) => {
      closed.push(`closed ${resource.id}`);
    },
  });

describe('directInits', () => {
  it('keeps each resource it opened until closeAll, which closes them in order', async () => {
    const closed: string[] = [];
    const inits = directInits();
    const { resource, record } = await inits.start(plugin('resolve', closed));
    expect(resource).toEqual({ id: 0 });
    expect(record.steps).toEqual([]);
    await inits.start(plugin('resolve', closed));
    expect(await inits.closeAll()).toHaveLength(2);
    expect(closed).toEqual(['closed 0', 'closed 0']);
    expect(await inits.closeAll()).toEqual([]);
  });

  it('returns what init rejected with, and fails when init resolved (keeping the resource to close)', async () => {
    const inits = directInits();
    expect((await inits.failure(plugin('other-error'))).error).toBeInstanceOf(TypeError);
    expect((await inits.startupFailure(plugin('startup-error'))).error.code).toBe('STARTUP_ERR_FAILED');
    await expect(inits.startupFailure(plugin('other-error'))).rejects.toThrow('bug');
    const closed: string[] = [];
    await expect(inits.failure(plugin('resolve', closed))).rejects.toThrow('a failure was expected');
    await inits.closeAll();
    expect(closed).toEqual(['closed 0']);
  });
});
