import { EventEmitter } from 'node:events';
import { silentLogger } from '@startup/core';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { resolveRedisOptions } from './resolve-options.js';
import { watchRuntime } from './runtime-status.js';

/** An event emitter standing in for a started ioredis client: only `status` and events are used. */
function fakeClient(): EventEmitter & { status: string } {
  return Object.assign(new EventEmitter(), { status: 'ready' });
}

function watch(options = resolveRedisOptions({ password: 'hunter2' })) {
  const client = fakeClient();
  const reports: Array<{ kind: 'down'; error: unknown } | { kind: 'up' }> = [];
  const stop = watchRuntime(
    client as unknown as Redis,
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
    client.emit('reconnecting', 50);
    client.emit('reconnecting', 100);
    client.emit('ready');
    expect(reports.map((r) => r.kind)).toEqual(['down', 'up']);
    expect(reports[0]).toMatchObject({
      error: { code: 'STARTUP_ERR_REDIS_UNAVAILABLE', plugin: 'redis', cause: reset },
    });
    expect((reports[0] as { error: Error }).error.message).toContain('reconnecting');
  });

  it('reports a second outage after a recovery', () => {
    const { client, reports } = watch();
    client.emit('close');
    client.emit('ready');
    client.emit('end');
    expect(reports.map((r) => r.kind)).toEqual(['down', 'up', 'down']);
  });

  it('says the client will not reconnect when reconnect is false', () => {
    const { client, reports } = watch(resolveRedisOptions({ reconnect: false }));
    client.emit('close');
    expect((reports[0] as { error: Error }).error.message).toContain('not reconnecting');
  });

  it('keeps a password out of the reported error', () => {
    const { client, reports } = watch();
    client.emit('error', new Error('AUTH hunter2 failed'));
    client.emit('close');
    const { error } = reports[0] as { error: Error };
    expect(error.message).not.toContain('hunter2');
    expect((error.cause as Error).message).not.toContain('hunter2');
  });

  it('stops reporting once disposed, so a deliberate close is not a loss', () => {
    const { client, reports, stop } = watch();
    stop();
    client.emit('close');
    client.emit('end');
    expect(reports).toEqual([]);
    expect(
      client.listenerCount('close') + client.listenerCount('ready') + client.listenerCount('error'),
    ).toBe(0);
  });
});
