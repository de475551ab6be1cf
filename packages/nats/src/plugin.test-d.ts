import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createStartup, type Plugin, type ResourceOf, type ResourcesOf } from '@startup/core';
import { describe, expectTypeOf, it } from 'vitest';
import { nats } from './plugin.js';
import type { NatsJetStreamResource, NatsResource } from './resource.js';

describe('nats() types', () => {
  it('names the plugin "nats" by default and keeps a given name literal', () => {
    expectTypeOf(nats()).toEqualTypeOf<Plugin<'nats', NatsResource, {}>>();
    expectTypeOf(nats({ name: 'events' }).name).toEqualTypeOf<'events'>();
  });

  it('types the resource as the connection, with optional JetStream handles', () => {
    type R = ResourceOf<ReturnType<typeof nats<'nats'>>>;
    expectTypeOf<R['nc']>().toEqualTypeOf<NatsConnection>();
    expectTypeOf<R['js']>().toEqualTypeOf<JetStreamClient | undefined>();
  });

  it('types the JetStream handles as present when jetstream is set', () => {
    const plugin = nats({ jetstream: true });
    expectTypeOf(plugin).toEqualTypeOf<Plugin<'nats', NatsJetStreamResource, {}>>();
    expectTypeOf<ResourceOf<typeof plugin>['js']>().toEqualTypeOf<JetStreamClient>();
    expectTypeOf<ResourceOf<typeof plugin>['jsm']>().toEqualTypeOf<JetStreamManager>();
    expectTypeOf(nats({ name: 'bus', jetstream: { domain: 'hub' } }).name).toEqualTypeOf<'bus'>();
  });

  it('flows into the started resources by plugin name', () => {
    const plugins = [nats({ name: 'bus', jetstream: true }), nats({ name: 'plain' })] as const;
    type Resources = ResourcesOf<typeof plugins>;
    expectTypeOf<Resources['bus']['js']['publish']>().toBeFunction();
    expectTypeOf<Resources['plain']['nc']>().toEqualTypeOf<NatsConnection>();
  });

  it('keeps the default name when used inline in createStartup', async () => {
    const app = createStartup([nats({ jetstream: true }), nats({ name: 'plain' })]);
    type Resources = Awaited<ReturnType<typeof app.start>>;
    expectTypeOf<Resources['nats']['js']>().toEqualTypeOf<JetStreamClient>();
    expectTypeOf<Resources['plain']['nc']>().toEqualTypeOf<NatsConnection>();
    expectTypeOf<keyof Resources>().toEqualTypeOf<'nats' | 'plain'>();
  });

  it('rejects options of the wrong type', () => {
    // @ts-expect-error connectTimeoutMs is a number of milliseconds
    nats({ connectTimeoutMs: '2s' });
    // @ts-expect-error the plugin sets waitOnFirstConnect itself
    nats({ client: { waitOnFirstConnect: true } });
  });
});
