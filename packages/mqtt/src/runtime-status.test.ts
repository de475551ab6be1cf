import { EventEmitter } from 'node:events';
import { silentLogger } from '@startup/core';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { resolveMqttOptions } from './resolve-options.js';
import { watchRuntime } from './runtime-status.js';

/** An event emitter standing in for a started MQTT.js client: only `connected` and events are used. */
function fakeClient(): EventEmitter & { connected: boolean } {
  return Object.assign(new EventEmitter(), { connected: true });
}

function watch(options = resolveMqttOptions({ username: 'app', password: 'hunter2' })) {
  const client = fakeClient();
  const reports: Array<{ kind: 'down'; error: unknown } | { kind: 'up' }> = [];
  const stop = watchRuntime(
    client as unknown as MqttClient,
    { down: (error) => reports.push({ kind: 'down', error }), up: () => reports.push({ kind: 'up' }) },
    silentLogger,
    options,
  );
  return { client, reports, stop };
}

describe('watchRuntime', () => {
  it('reports one loss per outage, with the last error as cause, and the recovery', () => {
    const { client, reports } = watch();
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    client.emit('error', reset);
    client.emit('close');
    client.emit('offline');
    client.emit('reconnect');
    client.emit('close');
    client.emit('connect', { cmd: 'connack' });
    expect(reports.map((r) => r.kind)).toEqual(['down', 'up']);
    expect(reports[0]).toMatchObject({
      error: { code: 'STARTUP_ERR_MQTT_UNAVAILABLE', plugin: 'mqtt', cause: reset },
    });
    expect((reports[0] as { error: Error }).error.message).toContain('reconnecting every 1000 ms');
  });

  it('reports a second outage after a recovery', () => {
    const { client, reports } = watch();
    client.emit('close');
    client.emit('connect');
    client.emit('close');
    expect(reports.map((r) => r.kind)).toEqual(['down', 'up', 'down']);
  });

  it('says the client will not reconnect when reconnectPeriodMs is 0', () => {
    const { client, reports } = watch(resolveMqttOptions({ reconnectPeriodMs: 0 }));
    client.emit('close');
    expect((reports[0] as { error: Error }).error.message).toContain('not reconnecting');
  });

  it('keeps a password out of the reported error', () => {
    const { client, reports } = watch();
    client.emit('error', new Error('CONNECT as app:hunter2 failed'));
    client.emit('close');
    const { error } = reports[0] as { error: Error };
    expect(error.message).not.toContain('hunter2');
    expect((error.cause as Error).message).not.toContain('hunter2');
  });

  it('stops reporting once disposed, so a deliberate close is not a loss', () => {
    const { client, reports, stop } = watch();
    stop();
    client.emit('close');
    expect(reports).toEqual([]);
    expect(
      client.listenerCount('close') + client.listenerCount('connect') + client.listenerCount('error'),
    ).toBe(0);
  });
});
