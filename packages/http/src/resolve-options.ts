import type { PluginSettings } from '@startup/core/plugin-kit';
import {
  checkBoolean,
  checkInteger,
  checkSecret,
  checkString,
  invalidOption,
} from '@startup/core/plugin-kit';
import type { HttpServicePluginOptions } from './options.js';
import { httpServiceDefaults, httpServiceOptionSchema } from './schema.js';

/** Everything `httpService()` needs, checked and filled in. Holds the secrets: never log it. */
export interface ResolvedHttpServiceOptions {
  name: string;
  /** The base URL without user info: what every path is resolved against, and what messages show. */
  baseUrl: string;
  /** The health URL, on the base URL's origin. */
  healthUrl: string;
  /** Headers sent on every request, `authorization` included. */
  headers: Readonly<Record<string, string>>;
  /** Statuses that mean ready; `undefined` for any 2xx. */
  expectStatus: readonly number[] | undefined;
  expectBody: ((body: string) => boolean | Promise<boolean>) | undefined;
  maxHealthBodyBytes: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  retryUnresolvedHost: boolean;
  /** Literal secrets to keep out of every message: the password, header values, the encoded credentials. */
  secrets: readonly string[];
  /** Core's plugin settings, as given. */
  settings: PluginSettings;
}

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolveHttpServiceOptions(
  given: HttpServicePluginOptions<string>,
): ResolvedHttpServiceOptions {
  const { options, name, at, settings } = httpServiceOptionSchema.accept(given);
  const base = parseBase(options, name);
  const secrets: string[] = [];

  const url = base.url;
  const user = checkString('user', options.user, decode(url.username), at);
  const password = checkSecret('password', options.password, at) ?? decode(url.password);
  const authorization = checkSecret('authorization', options.authorization, at);
  url.username = '';
  url.password = '';
  const headers = checkHeaders(options.headers, name);
  for (const value of Object.values(headers)) secrets.push(value);
  const hasAuthHeader = Object.keys(headers).some((key) => key.toLowerCase() === 'authorization');
  if (authorization !== undefined) {
    if (user !== '' || password !== '') {
      throw invalidOption(
        'authorization',
        'to be left out when a user or password is given',
        '(both given)',
        name,
      );
    }
    if (hasAuthHeader)
      throw invalidOption('headers.authorization', 'to be left out: `authorization` is given', '(set)', name);
    headers.authorization = authorization;
    secrets.push(authorization);
  } else if (user !== '' || password !== '') {
    if (hasAuthHeader)
      throw invalidOption(
        'headers.authorization',
        'to be left out: a user or password is given',
        '(set)',
        name,
      );
    const encoded = Buffer.from(`${user}:${password}`).toString('base64');
    headers.authorization = `Basic ${encoded}`;
    secrets.push(encoded);
    if (password !== '') secrets.push(password);
  }

  const healthPath = checkString('healthPath', options.healthPath, httpServiceDefaults.healthPath, at);
  const health = new URL(healthPath, url);
  if (health.origin !== url.origin) {
    throw invalidOption('healthPath', 'a path on the upstream (not another origin)', healthPath, name);
  }
  const expectBody = options.expectBody;
  if (expectBody !== undefined && typeof expectBody !== 'function') {
    throw invalidOption('expectBody', 'a function (body) => boolean', expectBody, name);
  }
  return {
    name,
    baseUrl: url.href,
    healthUrl: health.href,
    headers,
    expectStatus: checkStatuses(options.expectStatus, name),
    expectBody,
    maxHealthBodyBytes: checkInteger(
      'maxHealthBodyBytes',
      options.maxHealthBodyBytes,
      httpServiceDefaults.maxHealthBodyBytes,
      { ...at, min: 0 },
    ),
    connectTimeoutMs: checkInteger(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      httpServiceDefaults.connectTimeoutMs,
      at,
    ),
    responseTimeoutMs: checkInteger(
      'responseTimeoutMs',
      options.responseTimeoutMs,
      httpServiceDefaults.responseTimeoutMs,
      at,
    ),
    keepAliveTimeoutMs: checkInteger(
      'keepAliveTimeoutMs',
      options.keepAliveTimeoutMs,
      httpServiceDefaults.keepAliveTimeoutMs,
      at,
    ),
    maxConnections: checkInteger(
      'maxConnections',
      options.maxConnections,
      httpServiceDefaults.maxConnections,
      {
        ...at,
        allowInfinity: true,
      },
    ),
    retryUnresolvedHost: checkBoolean(
      'retryUnresolvedHost',
      options.retryUnresolvedHost,
      httpServiceDefaults.retryUnresolvedHost,
      at,
    ),
    secrets: secrets.filter((secret) => secret.length > 0),
    settings,
  };
}

/** The base URL, parsed and checked, with `host` and `port` applied. Its value is shown only redacted. */
function parseBase(options: HttpServicePluginOptions<string>, name: string): { url: URL } {
  const given = checkString('url', options.url, undefined, { plugin: name });
  if (given === undefined) throw invalidOption('url', 'the base URL of the upstream', given, name);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw invalidOption('url', 'an absolute http: or https: URL', given, name);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidOption('url', 'an http: or https: URL', url.protocol, name);
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalidOption(
      'url',
      'no query string or fragment (send keys as `headers`)',
      '(query or fragment)',
      name,
    );
  }
  const host = checkString('host', options.host, undefined, { plugin: name });
  if (host !== undefined) {
    url.hostname = host;
    if (url.hostname !== host.toLowerCase())
      throw invalidOption('host', 'a host name or IP address', host, name);
  }
  if (options.port !== undefined) {
    url.port = String(checkInteger('port', options.port, 0, { plugin: name, min: 1, max: 65_535 }));
  }
  return { url };
}

/** Header names and values as `Headers` accepts them; a value is never shown (it may be a key). */
function checkHeaders(value: unknown, name: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('headers', 'an object of header names to string values', typeof value, name);
  }
  const headers: Record<string, string> = {};
  for (const [key, headerValue] of Object.entries(value)) {
    if (typeof headerValue !== 'string')
      throw invalidOption(`headers.${key}`, 'a string', typeof headerValue, name);
    try {
      new Headers().set(key, headerValue);
    } catch {
      throw invalidOption(`headers.${key}`, 'a valid header name and value', '(hidden)', name);
    }
    headers[key.toLowerCase()] = headerValue;
  }
  return headers;
}

function checkStatuses(value: unknown, name: string): readonly number[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0)
    throw invalidOption('expectStatus', 'a status or a non-empty list of statuses', value, name);
  return list.map((status, i) =>
    checkInteger(Array.isArray(value) ? `expectStatus[${i}]` : 'expectStatus', status, 0, {
      plugin: name,
      min: 100,
      max: 599,
    }),
  );
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The context every error of this plugin is built with: the base URL shown, the secrets kept out. */
export function errorContext(options: ResolvedHttpServiceOptions) {
  return {
    plugin: options.name,
    target: options.baseUrl,
    secrets: options.secrets,
    retryUnresolvedHost: options.retryUnresolvedHost,
  };
}
