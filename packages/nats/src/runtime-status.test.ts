import type { NatsConnection, Status } from '@nats-io/transport-node';
import { type StartupError, silentLogger } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { watchStatus } from './runtime-status.js';

/** A connection stand-in whose status stream the test drives; `end()` closes it like nats.js does. */
function fakeConnection() {
  const queue: Status[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let closed = false;
  async function* stream(): AsyncGenerator<Status> {
    while (true) {
      while (queue.length > 0) yield queue.shift() as Status;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
  const nc = { status: () => stream(), isClosed: () => closed } as unknown as NatsConnection;
  const push = (status: Status) => {
    queue.push(status);
    wake?.();
  };
  const end = () => {
    closed = true;
    push({ type: 'close' });
    ended = true;
    wake?.();
  };
  return { nc, push, end };
}

function reporter() {
  const events: Array<{ type: 'down'; error: StartupError } | { type: 'up' }> = [];
  return {
    events,
    runtime: {
      down: (error?: unknown) => events.push({ type: 'down', error: error as StartupError }),
      up: () => events.push({ type: 'up' }),
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const context = { plugin: 'nats', target: 'nats://bus:4222', logger: silentLogger };

describe('watchStatus', () => {
  it('aborts the start when the connection drops before the plugin is ready', async () => {
    const { nc, push, end } = fakeConnection();
    const watch = watchStatus(nc, context);
    push({ type: 'disconnect', server: 'bus:4222' });
    await tick();
    expect(watch.lost.aborted).toBe(true);
    expect(watch.lost.reason).toMatchObject({
      code: 'STARTUP_ERR_NATS_DISCONNECTED',
      retryable: true,
      plugin: 'nats',
    });
    expect(watch.connected).toBe(false);
    end();
    await watch.done;
  });

  it('reports a disconnect as runtime.down and a reconnection as runtime.up once started', async () => {
    const { nc, push, end } = fakeConnection();
    const watch = watchStatus(nc, context);
    const { events, runtime } = reporter();
    watch.started(runtime);
    push({ type: 'disconnect', server: 'bus:4222' });
    await tick();
    expect(events).toEqual([
      { type: 'down', error: expect.objectContaining({ code: 'STARTUP_ERR_NATS_DISCONNECTED' }) },
    ]);
    expect(watch.connected).toBe(false);
    expect(watch.error?.code).toBe('STARTUP_ERR_NATS_DISCONNECTED');
    expect(watch.lost.aborted).toBe(false);
    push({ type: 'reconnecting' });
    push({ type: 'reconnect', server: 'bus:4222' });
    await tick();
    expect(events.map((e) => e.type)).toEqual(['down', 'up']);
    expect(watch.connected).toBe(true);
    expect(watch.error).toBeUndefined();
    end();
    await watch.done;
  });

  it('reports a close it did not ask for as a lasting loss', async () => {
    const { nc, end } = fakeConnection();
    const watch = watchStatus(nc, context);
    const { events, runtime } = reporter();
    watch.started(runtime);
    end();
    await watch.done;
    expect(events).toEqual([
      { type: 'down', error: expect.objectContaining({ code: 'STARTUP_ERR_NATS_CLOSED' }) },
    ]);
    expect(watch.connected).toBe(false);
  });

  it('does not report the close the plugin asked for', async () => {
    const { nc, end } = fakeConnection();
    const watch = watchStatus(nc, context);
    const { events, runtime } = reporter();
    watch.started(runtime);
    watch.closing();
    end();
    await watch.done;
    expect(events).toEqual([]);
  });

  it('ignores pings, cluster updates and other informational statuses', async () => {
    const { nc, push, end } = fakeConnection();
    const watch = watchStatus(nc, context);
    const { events, runtime } = reporter();
    watch.started(runtime);
    push({ type: 'ping', pendingPings: 1 });
    push({ type: 'update', added: ['other:4222'] });
    push({ type: 'ldm', server: 'bus:4222' });
    push({ type: 'error', error: new Error('Permissions Violation') });
    await tick();
    expect(events).toEqual([]);
    expect(watch.connected).toBe(true);
    watch.closing();
    end();
    await watch.done;
  });

  it('ends its loop when the status stream ends', async () => {
    const { nc, end } = fakeConnection();
    const watch = watchStatus(nc, context);
    let ended = false;
    void watch.done.then(() => {
      ended = true;
    });
    await tick();
    expect(ended).toBe(false);
    watch.closing();
    end();
    await tick();
    expect(ended).toBe(true);
  });
});
