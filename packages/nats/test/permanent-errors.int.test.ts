import { createStartup, isStartupError, type StartupFailedError } from '@startup/core';
import {
  eventually,
  expectNothingLeft,
  type HandleWatch,
  type NatsServer,
  pluginContext,
  resourceContext,
  startNatsServer,
  watchHandles,
} from '@startup/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nats } from '../src/index.js';

const retry = { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 2_000 };
const password = 'b';
const wrong = 'wr0ng-s3cret';
let server: NatsServer;
let handles: HandleWatch;

// One extra server for the file: user a / pass b, no JetStream. Stopped after the last test.
beforeAll(async () => {
  server = await startNatsServer({ user: 'a', pass: password });
});

afterAll(async () => {
  await server.stop();
});

beforeEach(() => {
  handles = watchHandles();
});

afterEach(async () => {
  // The server drops a closed client a moment after its socket closes.
  await eventually(async () => (await server.connectionNames()).length === 0, 2_000);
  await expectNothingLeft(handles);
});

async function failureOf(work: Promise<unknown>): Promise<StartupFailedError> {
  try {
    await work;
  } catch (error) {
    if (isStartupError(error)) return error as StartupFailedError;
    throw error;
  }
  throw new Error('expected the start to fail');
}

describe('nats() on permanent errors', () => {
  it('stops at once on a wrong password, saying what to fix, without showing it', async () => {
    const app = createStartup([nats({ servers: server.url, user: 'a', pass: wrong, retry })]);
    const seen: string[] = [];
    app.on('plugin:failed', (e) => seen.push(JSON.stringify(e)));
    const error = await failureOf(app.start());
    const cause = error.failures[0]?.cause;
    expect(cause).toMatchObject({ code: 'STARTUP_ERR_NATS_AUTH', retryable: false, plugin: 'nats' });
    expect((cause as Error).message).toContain('"user" and "pass"');
    expect(app.report().plugins[0]?.attempts).toHaveLength(1);
    const everything = [error.message, JSON.stringify(app.report()), ...seen].join('\n');
    expect(everything).not.toContain(wrong);
  });

  it('stops at once on a wrong password given in the URL, which never shows either', async () => {
    const url = server.url.replace('nats://', `nats://a:${wrong}@`);
    const app = createStartup([nats({ servers: url, retry })]);
    const error = await failureOf(app.start());
    expect(error.failures[0]?.cause).toMatchObject({ code: 'STARTUP_ERR_NATS_AUTH' });
    expect(app.report().plugins[0]?.attempts).toHaveLength(1);
    expect([error.message, JSON.stringify(app.report())].join('\n')).not.toContain(wrong);
  });

  it('records the failure on the connect step of a hand-made attempt', async () => {
    const { ctx, record } = pluginContext();
    await expect(
      Promise.resolve(nats({ servers: server.url, token: wrong }).init(ctx)),
    ).rejects.toMatchObject({
      code: 'STARTUP_ERR_NATS_AUTH',
      retryable: false,
    });
    expect(record.steps).toMatchObject([
      { name: 'connect', ok: false, error: { code: 'STARTUP_ERR_NATS_AUTH' } },
    ]);
  });

  it('stops at once when JetStream is asked for on a server without it, and closes the connection', async () => {
    const app = createStartup([
      nats({ servers: server.url, user: 'a', pass: password, jetstream: true, retry }),
    ]);
    const error = await failureOf(app.start());
    const cause = error.failures[0]?.cause as Error;
    expect(cause).toMatchObject({ code: 'STARTUP_ERR_NATS_JETSTREAM', retryable: false });
    expect(cause.message).toContain('-js');
    const report = app.report().plugins[0];
    expect(report?.attempts).toHaveLength(1);
    expect(report?.steps.map((s) => [s.name, s.error?.code])).toEqual([
      ['connect', undefined],
      ['verify', undefined],
      ['jetstream', 'STARTUP_ERR_NATS_JETSTREAM'],
    ]);
  });

  it('starts with the right credentials, named in the server', async () => {
    const plugin = nats({ servers: server.url, user: 'a', pass: password, connectionName: 'billing' });
    const resource = await plugin.init(pluginContext().ctx);
    expect(await server.connectionNames()).toEqual(['billing']);
    await plugin.close?.(resource, resourceContext());
  });
});
