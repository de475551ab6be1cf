import { isStartupError, type StartupError } from '@startup/core';
import {
  contextRecord,
  expectNothingLeft,
  type HandleWatch,
  redisAdmin,
  redisClientsNamed,
  redisUrl,
  resourceContext,
  retriedStart,
  type SecuredRedis,
  startSecuredRedis,
  uniqueName,
  watchHandles,
} from '@startup/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisPluginOptions, redis } from '../src/index.js';

const admin = redisAdmin();
let secured: SecuredRedis;
let name = '';
let handlesBefore: HandleWatch;

beforeAll(async () => {
  await admin.connect();
  secured = await startSecuredRedis('s3cret-pw');
  await secured.admin.acl('SETUSER', 'noping', 'on', '>noping-pw', '~*', '+info', '+client', '-ping');
});
afterAll(async () => {
  await secured.stop();
  await admin.quit();
});
beforeEach(() => {
  name = uniqueName('permanent');
  handlesBefore = watchHandles();
});
afterEach(async () => {
  expect(await redisClientsNamed(admin, name)).toEqual([]);
  expect(await secured.otherClients()).toEqual([]);
  await expectNothingLeft(handlesBefore);
});

/** Starts the plugin as core would: attempts with short backoff until it resolves or the error is final. */
async function start(options: RedisPluginOptions<string>, maxAttempts = 5) {
  const plugin = redis({ connectionName: name, connectTimeoutMs: 500, ...options });
  const record = contextRecord();
  const run = retriedStart(plugin, record, { maxAttempts });
  const error = await run.started.then(
    async (client) => {
      await plugin.close(client, resourceContext(1_000));
      throw new Error('expected the start to fail');
    },
    (e: unknown) => e,
  );
  if (!isStartupError(error)) throw error;
  return { error: error as StartupError, attempts: run.attempts(), record };
}

/** What the error chain could show: each error's message, stack and own fields, as JSON, to the last cause. */
function chainText(error: unknown): string {
  const texts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (!(e instanceof Error)) {
      texts.push(JSON.stringify(e));
      break;
    }
    texts.push(e.message, e.stack ?? '', JSON.stringify(e));
    for (const key of Object.getOwnPropertyNames(e)) texts.push(JSON.stringify((e as never)[key]) ?? '');
    e = e.cause;
  }
  return texts.join('\n');
}

const securedOptions = (extra: RedisPluginOptions<string>) => ({
  host: '127.0.0.1',
  port: secured.port,
  ...extra,
});

describe('redis plugin errors that retrying cannot fix', () => {
  it('fails at once with STARTUP_ERR_REDIS_AUTH on a wrong password, without showing it', async () => {
    const { error, attempts, record } = await start(securedOptions({ password: 'wrong-pw-123' }));
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_AUTH', retryable: false, plugin: 'redis' });
    expect(error.message).toContain('WRONGPASS');
    expect(attempts).toBe(1);
    expect(record.steps).toMatchObject([{ name: 'connect', ok: false }]);
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-pw-123');
    // ioredis' ReplyError to AUTH lists the password in `command.args`.
    expect(chainText(error)).toContain('WRONGPASS');
    expect(chainText(error)).not.toContain('wrong-pw-123');
  });

  it('fails at once with STARTUP_ERR_REDIS_AUTH when the server needs a password and none is given', async () => {
    const { error, attempts } = await start(securedOptions({}));
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_AUTH', retryable: false });
    expect(error.message).toContain('NOAUTH');
    expect(attempts).toBe(1);
  });

  it('keeps a wrong password given in the URL out of the error', async () => {
    const { error } = await start({ url: `redis://:url-pw-456@127.0.0.1:${secured.port}` });
    expect(error.code).toBe('STARTUP_ERR_REDIS_AUTH');
    expect(`${error.message} ${JSON.stringify(error.toJSON())}`).not.toContain('url-pw-456');
    expect(chainText(error)).not.toContain('url-pw-456');
  });

  it('fails at once with STARTUP_ERR_REDIS_PERMISSION when the ACL user may not PING', async () => {
    const { error, attempts, record } = await start(
      securedOptions({ username: 'noping', password: 'noping-pw' }),
    );
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_PERMISSION', retryable: false });
    expect(attempts).toBe(1);
    expect(record.steps).toMatchObject([
      { name: 'connect', ok: true },
      { name: 'verify', ok: false },
    ]);
  });

  it('fails at once with STARTUP_ERR_REDIS_DB_INDEX for a database the server does not have', async () => {
    const { error, attempts, record } = await start({ url: `${redisUrl}/99` });
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_DB_INDEX', retryable: false });
    expect(error.message).toContain('"db"');
    expect(attempts).toBe(1);
    expect(record.steps.at(-1)).toMatchObject({ name: 'verify', ok: false });
  });

  it('retries an unresolvable host by default, with STARTUP_ERR_REDIS_HOST_NOT_FOUND', async () => {
    const { error, attempts } = await start({ host: 'no-such-host.invalid' }, 3);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_HOST_NOT_FOUND', retryable: true });
    expect(error.message).toContain('ENOTFOUND');
    expect(attempts).toBe(3);
  });

  it('fails at once on an unresolvable host with retryUnresolvedHost: false', async () => {
    const { error, attempts } = await start({ host: 'no-such-host.invalid', retryUnresolvedHost: false }, 3);
    expect(error).toMatchObject({ code: 'STARTUP_ERR_REDIS_HOST_NOT_FOUND', retryable: false });
    expect(attempts).toBe(1);
  });
});
