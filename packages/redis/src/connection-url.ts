import { StartupError } from '@startup/core';
import { invalidOption, redactUrl } from '@startup/core/plugin-kit';

/** What a Redis URL says; absent parts are `undefined`. */
export interface RedisUrlParts {
  host: string;
  port: number | undefined;
  db: number | undefined;
  username: string | undefined;
  password: string | undefined;
  /** `true` for `rediss://`. */
  tls: boolean;
}

const field = 'url';

/**
 * Parses `redis://[[username][:password]@]host[:port][/db]` or `rediss://…` (TLS). Throws
 * `STARTUP_ERR_INVALID_OPTION` naming `url`, with the password redacted, for anything else.
 */
export function parseRedisUrl(url: unknown, plugin?: string): RedisUrlParts {
  if (typeof url !== 'string' || url.length === 0) {
    throw invalidOption(field, 'a redis:// or rediss:// URL', url, plugin);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption(field, 'a valid redis://[:password@]host[:port][/db] URL', redactUrl(url), plugin);
  }
  const shown = redactUrl(parsed);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw invalidOption(field, `the scheme redis:// or rediss://, not ${parsed.protocol}//`, shown, plugin);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host.length === 0) throw invalidOption(field, 'a URL with a host', shown, plugin);
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalidOption(field, 'a URL without query or fragment (use the options instead)', shown, plugin);
  }
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  // The URL parser takes 0, which no server listens on; the `port` option refuses it too.
  if (port === 0) throw invalidOption(field, 'a URL with a port between 1 and 65535', shown, plugin);
  return {
    host,
    port,
    db: parseDb(parsed.pathname, shown, plugin),
    username: parsed.username === '' ? undefined : decode(parsed.username, 'username', plugin),
    password: parsed.password === '' ? undefined : decode(parsed.password, 'password', plugin),
    tls: parsed.protocol === 'rediss:',
  };
}

function parseDb(pathname: string, shown: string, plugin: string | undefined): number | undefined {
  const path = pathname.replace(/^\//, '');
  if (path === '') return undefined;
  if (!/^\d{1,9}$/.test(path)) {
    throw invalidOption(field, 'a database index after the host (redis://host:6379/0)', shown, plugin);
  }
  return Number(path);
}

function decode(text: string, part: 'username' | 'password', plugin: string | undefined): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Never echo the text: it may be (part of) the password.
    throw new StartupError(
      'STARTUP_ERR_INVALID_OPTION',
      `Invalid option "url"${plugin === undefined ? '' : ` of plugin "${plugin}"`}: the ${part} is not valid percent-encoding`,
      { plugin, retryable: false },
    );
  }
}
