import { checkInteger, checkSecret, invalidOption } from '@startup/core/plugin-kit';
import type { MysqlPluginOptions } from './options.js';

/** The connection fields of a mysql2 `PoolOptions`. Internal. */
export interface ConnectionFields {
  host?: string;
  port: number;
  database?: string;
  user?: string;
  password?: string;
}

const defaultPort = 3306;

/**
 * Checks `url` or the discrete `host`, `port`, `database`, `user`, and `password`, which goes with either.
 * Throws `STARTUP_ERR_INVALID_OPTION` naming the field; a password is never shown.
 */
export function resolveConnection(options: MysqlPluginOptions<string>, name: string): ConnectionFields {
  const password = checkSecret('password', options.password, { plugin: name });
  if (options.url === undefined) {
    const fields: ConnectionFields = {
      port: checkInteger('port', options.port, defaultPort, { plugin: name, min: 1, max: 65_535 }),
    };
    for (const key of ['host', 'database', 'user'] as const) {
      const value = options[key];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.length === 0)
        throw invalidOption(key, 'a non-empty string', value, name);
      fields[key] = value;
    }
    if (password !== undefined) fields.password = password;
    return fields;
  }
  const parsed = parseUrl(options.url, name);
  for (const key of ['host', 'port', 'database', 'user'] as const) {
    if (options[key] !== undefined)
      throw invalidOption(key, 'to be left out when url is given', options[key], name);
  }
  const inUrl = parsed.password === '' ? undefined : decode(parsed.password, 'url', name);
  if (inUrl !== undefined && password !== undefined) {
    throw invalidOption('password', 'to be left out when url has a password', '(both given)', name);
  }
  const fields: ConnectionFields = { port: parsed.port === '' ? defaultPort : Number(parsed.port) };
  // WHATWG URL keeps IPv6 hosts bracketed; the socket wants them bare.
  if (parsed.hostname !== '') fields.host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const database = decode(parsed.pathname.slice(1), 'url', name);
  if (database !== '') fields.database = database;
  if (parsed.username !== '') fields.user = decode(parsed.username, 'url', name);
  const secret = password ?? inUrl;
  if (secret !== undefined) fields.password = secret;
  return fields;
}

function parseUrl(url: unknown, name: string): URL {
  const expected = 'a mysql:// or mariadb:// URL';
  if (typeof url !== 'string') throw invalidOption('url', expected, url, name);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption('url', expected, hideUserInfo(url), name);
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw invalidOption(
      'url',
      `${expected} (scheme ${parsed.protocol}// is not supported)`,
      hideUserInfo(url),
      name,
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalidOption(
      'url',
      `${expected} without a query string (client options go in mysql2)`,
      hideUserInfo(url),
      name,
    );
  }
  if (parsed.pathname.slice(1).includes('/')) {
    throw invalidOption('url', `${expected} whose path is one database name`, hideUserInfo(url), name);
  }
  return parsed;
}

function decode(part: string, field: string, name: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalidOption(field, 'a URL whose parts are valid percent-encoding', '(not shown)', name);
  }
}

/** Hides everything between `//` and the last `@` of a URL that may not parse (a password may hold `@`). */
function hideUserInfo(text: string): string {
  const start = text.indexOf('//');
  const at = text.lastIndexOf('@');
  return start >= 0 && at > start ? `${text.slice(0, start + 2)}****${text.slice(at)}` : text;
}

/** The server as messages show it, never with a password: `mysql://app@db:3306/app`. */
export function describeTarget(connection: ConnectionFields): string {
  const host = connection.host ?? 'localhost';
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const user = connection.user === undefined ? '' : `${encodeURIComponent(connection.user)}@`;
  return `mysql://${user}${shownHost}:${connection.port}/${connection.database ?? ''}`;
}
