import { describe, expectTypeOf, it } from 'vitest';
import { definePlugin, type Plugin } from './plugin.js';
import { createStartup } from './runner.js';

declare class Pool {
  query(sql: string): Promise<{ rows: unknown[] }>;
}
declare function postgres(): Plugin<'postgres', Pool>;

describe('typed resources', () => {
  it('types each resource by its plugin name without casts', async () => {
    const clock = definePlugin({ name: 'clock', init: () => ({ now: () => Date.now() }) });
    const app = createStartup([postgres(), clock]);
    const resources = await app.start();
    expectTypeOf(resources.postgres).toEqualTypeOf<Pool>();
    expectTypeOf(resources.clock.now).returns.toEqualTypeOf<number>();
    expectTypeOf(app.resources.postgres).toEqualTypeOf<Pool>();
    // @ts-expect-error: no plugin is named redis
    resources.redis;
  });

  it('types the dependencies a plugin declares', () => {
    const repo = definePlugin<{ postgres: Pool }>()({
      name: 'repo',
      dependsOn: ['postgres'],
      init: ({ deps }) => {
        expectTypeOf(deps.postgres).toEqualTypeOf<Pool>();
        return { count: () => deps.postgres.query('select 1') };
      },
    });
    expectTypeOf(repo.name).toEqualTypeOf<'repo'>();
  });

  it('unwraps a promised resource', async () => {
    const lazy = definePlugin({ name: 'lazy', init: async () => 42 });
    const resources = await createStartup([lazy]).start();
    expectTypeOf(resources.lazy).toEqualTypeOf<number>();
  });
});
