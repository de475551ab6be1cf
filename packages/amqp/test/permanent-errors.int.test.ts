import {
  amqpUrl,
  expectNothingLeft,
  type HandleWatch,
  pluginContext,
  rabbitmqConnectionsLeft,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amqp } from '../src/index.js';

const password = 'wrong-pw-0f3c9e';
let name = '';
let handlesBefore: HandleWatch;

beforeEach(() => {
  name = uniqueName('amqp-permanent');
  handlesBefore = watchHandles();
});
afterEach(async () => {
  expect(await rabbitmqConnectionsLeft(name)).toBe(0);
  await expectNothingLeft(handlesBefore);
});

describe('amqp plugin: errors retrying cannot fix', () => {
  it('fails a wrong password at once (403 ACCESS_REFUSED), the password nowhere in the error or logs', async () => {
    const { ctx, record } = pluginContext();
    const error = await amqp({ url: amqpUrl, connectionName: name, password })
      .init(ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_AUTH', retryable: false });
    expect((error as Error).message).toContain('ACCESS_REFUSED');
    expect(record.steps).toMatchObject([{ name: 'connect', ok: false }]);
    const shown = JSON.stringify([
      String(error),
      (error as Error).message,
      String((error as Error).cause),
      record,
    ]);
    expect(shown).not.toContain(password);
  });

  it('fails a wrong password given in the URL without showing it', async () => {
    const url = amqpUrl.replace(/:[^:@/]+@/, `:${password}@`);
    const error = await amqp({ url, connectionName: name })
      .init(pluginContext().ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_AUTH', retryable: false });
    expect(JSON.stringify([String(error), String((error as Error).cause)])).not.toContain(password);
  });

  it('fails an unknown vhost at once (530 NOT_ALLOWED), naming the vhost option', async () => {
    const { ctx } = pluginContext();
    const error = await amqp({ url: amqpUrl, connectionName: name, vhost: `${name}-missing` })
      .init(ctx)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_AMQP_VHOST', retryable: false });
    expect((error as Error).message).toContain('"vhost"');
    expect((error as Error).message).toContain(encodeURIComponent(`${name}-missing`));
  });

  it('fails an unresolvable host at once when retryUnresolvedHost is false, and retries it by default', async () => {
    const host = 'amqp-broker.invalid';
    const once = await amqp({ host, connectionName: name, retryUnresolvedHost: false })
      .init(pluginContext().ctx)
      .catch((e: unknown) => e);
    expect(once).toMatchObject({ code: 'STARTUP_ERR_AMQP_HOST_NOT_FOUND', retryable: false });
    const retried = await amqp({ host, connectionName: name })
      .init(pluginContext().ctx)
      .catch((e: unknown) => e);
    expect(retried).toMatchObject({ code: 'STARTUP_ERR_AMQP_HOST_NOT_FOUND', retryable: true });
  });
});
