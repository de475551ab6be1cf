import { isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import {
  directInits,
  expectNothingLeft,
  type HandleWatch,
  resourceContext,
  startHttpUpstream,
  type TestHttpUpstream,
  watchHandles,
} from '@startup/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpServicePluginOptions, httpService } from '../src/index.js';

const password = 'hunter2-http-secret';
const token = 'Bearer tok-9f8e7d-secret';
const apiKey = 'key-5a4b3c-secret';

let upstream: TestHttpUpstream;
let proxy: FaultProxy;
let handles: HandleWatch;
const inits = directInits();

beforeEach(async () => {
  handles = watchHandles();
  upstream = await startHttpUpstream();
  proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: upstream.port } });
});

afterEach(async () => {
  await inits.closeAll();
  // The leak check, server-side: no connection of the plugin is left on the upstream.
  await expect.poll(() => upstream.connections).toBe(0);
  await proxy.close();
  await upstream.close();
  await expectNothingLeft(handles);
});

type Options = Omit<HttpServicePluginOptions<'upstream'>, 'name' | 'url'> & { url?: string };

/** A plugin on the test upstream, directly, with test-sized timeouts. */
const direct = (options: Options = {}) =>
  httpService({
    name: 'upstream',
    url: upstream.url,
    connectTimeoutMs: 300,
    responseTimeoutMs: 300,
    ...options,
  });

/** A plugin reaching the upstream through the fault proxy. */
const viaProxy = (options: Options = {}) => direct({ url: `http://127.0.0.1:${proxy.port}`, ...options });

const codeOf = (error: unknown) => (isStartupError(error) ? error.code : undefined);
const retryableOf = (error: unknown) => (isStartupError(error) ? error.retryable : undefined);

describe('httpService() on a real upstream', () => {
  it('is ready once the health URL answers 2xx, and its fetch is bound to the base URL with the credentials', async () => {
    const plugin = direct({
      url: `http://app:${password}@127.0.0.1:${upstream.port}/v1/`,
      headers: { 'x-api-key': apiKey },
    });
    const { resource: service, record } = await inits.start(plugin);
    expect(record.steps).toEqual([{ name: 'health', ok: true }]);
    expect(service.baseUrl).toBe(`http://127.0.0.1:${upstream.port}/v1/`);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', url: '/health' });

    const response = await service.fetch('users?id=1');
    expect(await response.text()).toBe('ok');
    const last = upstream.requests.at(-1)!;
    expect(last.url).toBe('/v1/users?id=1');
    expect(last.headers.authorization).toBe(`Basic ${Buffer.from(`app:${password}`).toString('base64')}`);
    expect(last.headers['x-api-key']).toBe(apiKey);
    // Nothing the service shows carries a secret.
    const shown = JSON.stringify({ service, logs: record.logs, baseUrl: service.baseUrl });
    for (const secret of [password, apiKey]) expect(shown).not.toContain(secret);
  });

  it('returns the status and latency as its health, and reuses its keep-alive sockets', async () => {
    const plugin = direct();
    const { resource: service } = await inits.start(plugin);
    const details = await plugin.healthCheck?.(service, resourceContext());
    expect(details).toMatchObject({ status: 200 });
    expect(typeof (details as { latencyMs: number }).latencyMs).toBe('number');
    for (let i = 0; i < 10; i++) await (await service.fetch('/x')).text();
    // undici hands a socket back a moment after the body ends, so a request right after opens a second one.
    expect(upstream.accepted).toBeLessThanOrEqual(2);
    expect(upstream.connections).toBe(upstream.accepted);
  });

  it('leaves no socket on the upstream after close, though keep-alive would hold one for seconds', async () => {
    const plugin = direct({ keepAliveTimeoutMs: 60_000 });
    const { resource: service } = await inits.start(plugin);
    await Promise.all(Array.from({ length: 4 }, () => service.fetch('/a').then((r) => r.text())));
    expect(upstream.connections).toBeGreaterThan(0);
    await plugin.close?.(service, resourceContext());
    await expect.poll(() => upstream.connections).toBe(0);
    await expect(service.fetch('/a')).rejects.toThrow('closed');
  });

  it('ends a request in flight when the close signal aborts', async () => {
    const plugin = direct({ responseTimeoutMs: 60_000 });
    const { resource: service } = await inits.start(plugin);
    upstream.answer(() => {});
    const pending = service.fetch('/slow').catch((e: unknown) => e);
    await expect.poll(() => upstream.requests.length).toBe(2);
    await plugin.close?.(service, resourceContext(100));
    expect(await pending).toMatchObject({
      message: expect.stringContaining('closed with this request in flight'),
    });
    await expect.poll(() => upstream.connections).toBe(0);
  });

  it('checks the status and the body it is told to', async () => {
    upstream.answer((_, res) => res.writeHead(204).end());
    await inits.start(direct({ expectStatus: [200, 204] }));
    upstream.answer((_, res) => res.end('{"status":"starting"}'));
    const body = (text: string) => JSON.parse(text).status === 'ok';
    const { error } = await inits.failure(direct({ expectBody: body }));
    expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_UNHEALTHY');
    expect(retryableOf(error)).toBe(true);
    upstream.answer((_, res) => res.end('{"status":"ok"}'));
    await inits.start(direct({ expectBody: body }));
    const { error: wrongStatus } = await inits.failure(direct({ expectStatus: 204 }));
    expect(codeOf(wrongStatus)).toBe('STARTUP_ERR_HTTP_UNHEALTHY');
  });

  it('reads at most maxHealthBodyBytes of a health body', async () => {
    upstream.answer((_, res) => {
      res.write('ok');
      res.write('x'.repeat(100_000));
      res.end();
    });
    const seen: string[] = [];
    const expectBody = (body: string) => {
      seen.push(body);
      return body === 'ok';
    };
    await inits.start(direct({ maxHealthBodyBytes: 2, expectBody }));
    expect(seen).toEqual(['ok']);
  });

  it.each([
    [404, 'STARTUP_ERR_HTTP_REJECTED', false, 'healthPath'],
    [400, 'STARTUP_ERR_HTTP_REJECTED', false, 'rejected'],
    [401, 'STARTUP_ERR_HTTP_AUTH', false, 'authorization'],
    [403, 'STARTUP_ERR_HTTP_AUTH', false, 'authorization'],
    [408, 'STARTUP_ERR_HTTP_UNAVAILABLE', true, 'not available'],
    [429, 'STARTUP_ERR_HTTP_UNAVAILABLE', true, 'rate limiting'],
    [500, 'STARTUP_ERR_HTTP_UNAVAILABLE', true, 'not available'],
    [503, 'STARTUP_ERR_HTTP_UNAVAILABLE', true, 'not available'],
  ])('classifies a health answer %i as %s (retryable: %s)', async (status, code, retryable, hint) => {
    upstream.answer((_, res) => res.writeHead(status).end('no'));
    const { error, record } = await inits.failure(direct());
    expect(codeOf(error)).toBe(code);
    expect(retryableOf(error)).toBe(retryable);
    expect((error as Error).message).toContain(hint);
    expect((error as Error).message).toContain(`http://127.0.0.1:${upstream.port}/`);
    expect(record.steps).toEqual([{ name: 'health', ok: false, error: expect.anything() }]);
  });

  it('shows the wait a 503 Retry-After asks for, without obeying it', async () => {
    upstream.answer((_, res) => res.writeHead(503, { 'retry-after': '2' }).end());
    const { error } = await inits.failure(direct());
    expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_UNAVAILABLE');
    expect((error as Error).message).toContain('Retry-After asks for 2000 ms');
    expect(((error as Error).cause as { retryAfterMs?: number }).retryAfterMs).toBe(2000);
  });

  it('keeps every credential out of a failure, its cause and the logs', async () => {
    upstream.answer((_, res) => res.writeHead(401).end(`you sent ${password}`));
    for (const plugin of [
      direct({ url: `http://app:${password}@127.0.0.1:${upstream.port}` }),
      direct({ authorization: token }),
      direct({ user: 'app', password, headers: { 'x-api-key': apiKey } }),
    ]) {
      const { error, record } = await inits.failure(plugin);
      expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_AUTH');
      const shown = `${(error as Error).message} ${JSON.stringify(error)} ${JSON.stringify((error as Error).cause)} ${JSON.stringify(record)}`;
      for (const secret of [password, token, apiKey, Buffer.from(`app:${password}`).toString('base64')]) {
        expect(shown).not.toContain(secret);
      }
    }
  });

  it('fails a silent upstream with a transient timeout after responseTimeoutMs, leaving no socket', async () => {
    upstream.answer(() => {});
    const { error } = await inits.failure(direct({ responseTimeoutMs: 200 }));
    expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_TIMEOUT');
    expect(retryableOf(error)).toBe(true);
    expect((error as Error).message).toContain('responseTimeoutMs (200 ms)');
    await expect.poll(() => upstream.connections).toBe(0);
  });

  it('refuses to send its credentials to another origin', async () => {
    const { resource: service } = await inits.start(direct({ authorization: token }));
    await expect(service.fetch('http://127.0.0.2:1/steal')).rejects.toThrow('another origin');
    await expect(service.fetch('//example.invalid/steal')).rejects.toThrow('another origin');
  });
});

describe('httpService() through a fault proxy', () => {
  it('classifies a refused upstream as transient (ECONNREFUSED)', async () => {
    await proxy.refuse();
    const { error } = await inits.failure(viaProxy());
    expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_UNAVAILABLE');
    expect(retryableOf(error)).toBe(true);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('fails a blackholed attempt with a transient timeout and leaves no socket open', async () => {
    proxy.blackhole();
    const { error } = await inits.failure(viaProxy());
    expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_TIMEOUT');
    expect(retryableOf(error)).toBe(true);
    expect(proxy.accepted).toBe(1);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('ends a blackholed attempt as soon as its signal aborts', async () => {
    proxy.blackhole();
    const controller = new AbortController();
    const reason = new Error('attempt timed out');
    const pending = inits.failure(viaProxy({ responseTimeoutMs: 60_000 }), controller.signal);
    await expect.poll(() => proxy.connections).toBe(1);
    controller.abort(reason);
    expect((await pending).error).toBe(reason);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('starts through latency below the timeout and shows it', async () => {
    proxy.latency(100);
    const plugin = viaProxy({ responseTimeoutMs: 2_000 });
    const { resource: service } = await inits.start(plugin);
    const details = (await plugin.healthCheck?.(service, resourceContext())) as { latencyMs: number };
    expect(details.latencyMs).toBeGreaterThanOrEqual(90);
  });

  it('classifies a reset connection as transient', async () => {
    proxy.resetNew(true);
    const { error } = await inits.failure(viaProxy());
    expect(codeOf(error)).toBe('STARTUP_ERR_HTTP_UNAVAILABLE');
    expect(retryableOf(error)).toBe(true);
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('reports an upstream lost while running, fails health, and reports it back', async () => {
    const plugin = viaProxy();
    const { resource: service, record, nextRuntime } = await inits.start(plugin);
    proxy.cutAll();
    await proxy.refuse();
    await expect(service.fetch('/a')).rejects.toThrow();
    await nextRuntime('down');
    await expect(plugin.healthCheck?.(service, resourceContext())).rejects.toMatchObject({
      code: 'STARTUP_ERR_HTTP_UNAVAILABLE',
    });
    await proxy.accept();
    await (await service.fetch('/a')).text();
    await nextRuntime('up');
    expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
  });
});
