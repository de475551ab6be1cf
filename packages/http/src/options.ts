import type { PluginSettings } from '@startup/core/plugin-kit';

/** What a health answer's status must be: one status, a list of statuses. */
export type ExpectedStatus = number | readonly number[];

/**
 * Options of `httpService()`. `name` and `url` are required: a service talks to several upstreams, each its own
 * plugin. Explicit `host`, `port`, `user` and `password` override the URL's parts.
 */
export interface HttpServicePluginOptions<Name extends string = string> extends PluginSettings {
  /** Plugin name, and the key of the upstream in the started application's resources. Required. */
  name: Name;
  /** The upstream's base URL: `https://user:password@api.example.com:8443/v1/`. `http:` or `https:`; no fragment. Required. */
  url: string;
  /** Host name or IP address; overrides the URL's. */
  host?: string;
  /** Port; overrides the URL's (and the scheme's 80 / 443). */
  port?: number;
  /** User of HTTP Basic authentication; overrides the URL's user info. Not with `authorization`. */
  user?: string;
  /** Password of HTTP Basic authentication; overrides the URL's. Never shown. Not with `authorization`. */
  password?: string;
  /** The whole `Authorization` header value (`Bearer …`), sent on every request. Never shown. Not with a user or password. */
  authorization?: string;
  /** Headers sent on every request (an API key…). Every value is treated as a secret: never shown. Defaults to none. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Path of the health URL, resolved against `url` like a link: `'/health'` from the origin, `'health'` under the
   * base path. Defaults to `'/health'`.
   */
  healthPath?: string;
  /** The health answer's status that means ready. Defaults to any 2xx. */
  expectStatus?: ExpectedStatus;
  /**
   * A check of the health answer's body (its first `maxHealthBodyBytes`, as text): return `false` (or throw) when
   * the upstream is not ready, e.g. `(body) => JSON.parse(body).status === 'ok'`. Defaults to none (the status decides).
   */
  expectBody?: (body: string) => boolean | Promise<boolean>;
  /** Most bytes of the health answer's body read for `expectBody`. Defaults to 65536. */
  maxHealthBodyBytes?: number;
  /** Budget of one TCP (and TLS) connection, in milliseconds. Defaults to 5000. */
  connectTimeoutMs?: number;
  /**
   * Budget from sending a request to its response headers, in milliseconds (a silent upstream); also the most
   * time between two chunks of a body. Applies to the health check and to every call of the bound `fetch`.
   * Defaults to 10000.
   */
  responseTimeoutMs?: number;
  /** An idle keep-alive socket is closed after this long, in milliseconds. Defaults to 4000 (undici's). */
  keepAliveTimeoutMs?: number;
  /** Most sockets open to the upstream at once; `Infinity` for no limit. Defaults to 64. */
  maxConnections?: number;
  /**
   * Retry a start whose host does not resolve (`ENOTFOUND`): in Docker and Kubernetes a service's name resolves
   * only once it runs. `false` fails at once. Defaults to `true`.
   */
  retryUnresolvedHost?: boolean;
}
