import type { Plugin, ResourcesOf } from '@startup/core';
import type { ChannelModel } from 'amqplib';
import { describe, expectTypeOf, it } from 'vitest';
import { amqp } from './plugin.js';

describe('amqp() types', () => {
  it('gives a plugin named amqp whose resource is an amqplib ChannelModel', () => {
    const plugin = amqp();
    expectTypeOf(plugin).toExtend<Plugin<'amqp', ChannelModel>>();
    expectTypeOf(plugin.name).toEqualTypeOf<'amqp'>();
    expectTypeOf(plugin.init).returns.toEqualTypeOf<Promise<ChannelModel>>();
  });

  it('keeps a custom name as a literal type, so resources are keyed by it', () => {
    const plugins = [amqp({ name: 'events' }), amqp({ name: 'jobs' })] as const;
    expectTypeOf<ResourcesOf<typeof plugins>>().toEqualTypeOf<{ events: ChannelModel; jobs: ChannelModel }>();
  });

  it('rejects options of the wrong type', () => {
    // @ts-expect-error connectTimeoutMs is a number of milliseconds
    amqp({ connectTimeoutMs: '3s' });
    // @ts-expect-error heartbeat is heartbeatSeconds
    amqp({ heartbeat: 10 });
  });
});
