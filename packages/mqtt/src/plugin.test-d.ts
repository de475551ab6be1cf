import type { Plugin, ResourcesOf } from '@startup/core';
import type { MqttClient } from 'mqtt';
import { describe, expectTypeOf, it } from 'vitest';
import { mqtt } from './plugin.js';

describe('mqtt() types', () => {
  it('gives a plugin named mqtt whose resource is an MQTT.js client', () => {
    const plugin = mqtt();
    expectTypeOf(plugin).toExtend<Plugin<'mqtt', MqttClient>>();
    expectTypeOf(plugin.name).toEqualTypeOf<'mqtt'>();
    expectTypeOf(plugin.init).returns.toEqualTypeOf<Promise<MqttClient>>();
  });

  it('keeps a custom name as a literal type, so resources are keyed by it', () => {
    const plugins = [mqtt({ name: 'telemetry' }), mqtt({ name: 'commands' })] as const;
    expectTypeOf<ResourcesOf<typeof plugins>>().toEqualTypeOf<{
      telemetry: MqttClient;
      commands: MqttClient;
    }>();
  });

  it('rejects options of the wrong type', () => {
    // @ts-expect-error connectTimeoutMs is a number of milliseconds
    mqtt({ connectTimeoutMs: '3s' });
    // @ts-expect-error the plugin sets reconnectPeriod itself
    mqtt({ mqtt: { reconnectPeriod: 1 } });
    // @ts-expect-error MQTT 3.1 (protocol 3) is not offered
    mqtt({ protocolVersion: 3 });
  });
});
