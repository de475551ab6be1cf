import { describe, expect, it } from 'vitest';
import type { HttpServicePluginOptions } from './options.js';
import { resolveHttpServiceOptions } from './resolve-options.js';
import { httpServiceDefaults } from './schema.js';

const resolve = (options: Partial<HttpServicePluginOptions<string>>) =>
  resolveHttpServiceOptions({
    name: 'billing',
    url: 'http://billing:8080/v1/',
    ...options,
  } as HttpServicePluginOptions<string>);

const invalid = (field: string) =>
  expect.objectContaining({
    code: 'STARTUP_ERR_INVALID_OPTION',
    message: expect.stringContaining(`"${field}"`),
  });

describe('resolveHttpServiceOptions', () => {
  it('fills in the defaults', () => {
    const r = resolve({});
    expect(r).toMatchObject({
      name: 'billing',
      baseUrl: 'http://billing:8080/v1/',
      healthUrl: 'http://billing:8080/health',
      headers: {},
      expectStatus: undefined,
      connectTimeoutMs: httpServiceDefaults.connectTimeoutMs,
      responseTimeoutMs: 10_000,
      keepAliveTimeoutMs: 4_000,
      maxConnections: 64,
      retryUnresolvedHost: true,
      secrets: [],
    });
  });

  it('requires a name and a url, naming the field', () => {
    expect(() => resolveHttpServiceOptions({ url: 'http://a' } as never)).toThrow(invalid('name'));
    expect(() => resolveHttpServiceOptions({ name: 'a' } as never)).toThrow(invalid('url'));
  });

  it.each([
    ['url', { url: 'ftp://a/' }],
    ['url', { url: 'not a url' }],
    ['url', { url: 'http://a/?key=1' }],
    ['url', { url: 'http://a/#x' }],
    ['port', { port: 70_000 }],
    ['host', { host: 'a b' }],
    ['healthPath', { healthPath: 'http://elsewhere/health' }],
    ['healthPath', { healthPath: '//elsewhere/health' }],
    ['expectStatus', { expectStatus: [] }],
    ['expectStatus[1]', { expectStatus: [200, 999] }],
    ['expectBody', { expectBody: 'ok' }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['responseTimeoutMs', { responseTimeoutMs: -1 }],
    ['maxConnections', { maxConnections: 1.5 }],
    ['headers.x-key', { headers: { 'x-key': 3 } }],
    ['headers.bad name', { headers: { 'bad name': 'v' } }],
    ['authorization', { authorization: 'Bearer t', user: 'u' }],
    ['headers.authorization', { authorization: 'Bearer t', headers: { Authorization: 'x' } }],
    ['urll', { urll: 'http://a' }],
  ])('rejects a bad %s before anything connects', (field, options) => {
    expect(() => resolve(options as never)).toThrow(invalid(field));
  });

  it('applies host and port over the URL, and resolves healthPath like a link', () => {
    const r = resolve({ host: '10.0.0.5', port: 9000, healthPath: 'ready' });
    expect(r.baseUrl).toBe('http://10.0.0.5:9000/v1/');
    expect(r.healthUrl).toBe('http://10.0.0.5:9000/v1/ready');
  });

  it('turns user info into Basic authentication, takes it out of the base URL and keeps it secret', () => {
    const r = resolve({ url: 'https://app:p%40ss@api.example.com/' });
    expect(r.baseUrl).toBe('https://api.example.com/');
    const encoded = Buffer.from('app:p@ss').toString('base64');
    expect(r.headers).toEqual({ authorization: `Basic ${encoded}` });
    expect(r.secrets).toEqual(expect.arrayContaining([encoded, 'p@ss']));
  });

  it('lets user and password override the URL', () => {
    const r = resolve({ url: 'https://app:old@api.example.com/', password: 'new' });
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from('app:new').toString('base64')}`);
  });

  it('sends authorization and headers, every value a secret, and never shows one in an error', () => {
    const r = resolve({ authorization: 'Bearer tok', headers: { 'X-Api-Key': 'k123' } });
    expect(r.headers).toEqual({ authorization: 'Bearer tok', 'x-api-key': 'k123' });
    expect(r.secrets).toEqual(expect.arrayContaining(['Bearer tok', 'k123']));
    let message = '';
    try {
      resolve({ headers: { 'x-key': 'secret\nvalue' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('headers.x-key');
    expect(message).not.toContain('secret');
  });

  it('takes one status or a list', () => {
    expect(resolve({ expectStatus: 204 }).expectStatus).toEqual([204]);
    expect(resolve({ expectStatus: [200, 204] }).expectStatus).toEqual([200, 204]);
  });

  it('takes maxConnections: Infinity', () => {
    expect(resolve({ maxConnections: Number.POSITIVE_INFINITY }).maxConnections).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
