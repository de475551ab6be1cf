import type { Plugin, ResourcesOf } from '@startup/core';
import type { Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import { redis } from './plugin.js';

describe('redis() types', () => {
  it('gives a plugin named redis whose resource is an ioredis client', () => {
    const plugin = redis();
    expectTypeOf(plugin).toExtend<Plugin<'redis', Redis>>();
    expectTypeOf(plugin.name).toEqualTypeOf<'redis'>();
    expectTypeOf(plugin.init).returns.toEqualTypeOf<Promise<Redis>>();
  });

  it('keeps a custom name as a literal type, so resources are keyed by it', () => {
    const plugins = [redis({ name: 'cache' }), redis({ name: 'sessions' })] as const;
    expectTypeOf<ResourcesOf<typeof plugins>>().toEqualTypeOf<{ cache: Redis; sessions: Redis }>();
  });

  it('rejects options of the wrong type', () => {
    // @ts-expect-error connectTimeoutMs is a number of milliseconds
    redis({ connectTimeoutMs: '3s' });
    // @ts-expect-error the plugin sets retryStrategy itself
    redis({ ioredis: { retryStrategy: () => 1 } });
  });
});
