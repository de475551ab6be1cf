import { checkInteger, invalidOption, redactUrl } from '@startup/core/plugin-kit';
import pg from 'pg';
import type { PostgresPluginOptions } from './options.js';

/** The connection fields of a `pg.PoolConfig`. Internal. */
export type ConnectionFields = Pick<
  pg.PoolConfig,
  'connectionString' | 'host' | 'port' | 'database' | 'user' | 'password'
>;

/**
 * Checks `url` / `connectionString` or the discrete `host`, `port`, `database`, `user`, and `password`,
 * which goes with either. Throws `STARTUP_ERR_INVALID_OPTION` naming the field.
 */
export function resolveConnection(options: PostgresPluginOptions<string>, name: string): ConnectionFields {
  if (options.url !== undefined && options.connectionString !== undefined) {
    throw invalidOption('connectionString', 'to be left out when url is given', '(both given)', name);
  }
  const urlField = options.url !== undefined ? 'url' : 'connectionString';
  const url = options.url ?? options.connectionString;
  const password = options.password;
  if (password !== undefined && typeof password !== 'string' && typeof password !== 'function') {
    throw invalidOption('password', 'a string or a function returning one', typeof password, name);
  }
  if (url === undefined) {
    const fields: ConnectionFields = {};
    for (const key of ['host', 'database', 'user'] as const) {
      const value = options[key];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.length === 0)
        throw invalidOption(key, 'a non-empty string', value, name);
      fields[key] = value;
    }
    if (options.port !== undefined) {
      fields.port = checkInteger('port', options.port, 5432, { plugin: name, min: 1, max: 65_535 });
    }
    if (password !== undefined) fields.password = password;
    return fields;
  }
  const parsed = parseUrl(urlField, url, name);
  for (const key of ['host', 'port', 'database', 'user'] as const) {
    if (options[key] !== undefined)
      throw invalidOption(key, `to be left out when ${urlField} is given`, options[key], name);
  }
  // pg reads `?password=` too, and lets it win over the user info (and so over the option carried there).
  const inQuery = parsed.searchParams.has('password');
  if (inQuery && parsed.password !== '') {
    throw invalidOption(
      urlField,
      'one password: in the user info or in ?password=, not both',
      '(both given)',
      name,
    );
  }
  if (password === undefined) return { connectionString: url };
  if (parsed.password !== '' || inQuery) {
    throw invalidOption('password', `to be left out when ${urlField} has a password`, '(both given)', name);
  }
  if (typeof password === 'function') {
    throw invalidOption(
      'password',
      `a string when ${urlField} is given (use host, port… for a function)`,
      'a function',
      name,
    );
  }
  // pg lets the URL's (empty) password win over the option, so carry the password inside the URL.
  parsed.password = encodeURIComponent(password);
  return { connectionString: parsed.toString() };
}

function parseUrl(field: string, url: unknown, name: string): URL {
  const expected = 'a postgres:// or postgresql:// URL';
  if (typeof url !== 'string') throw invalidOption(field, expected, url, name);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption(field, expected, hideSecrets(url), name);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalidOption(
      field,
      `${expected} (scheme ${parsed.protocol}// is not supported)`,
      hideSecrets(url),
      name,
    );
  }
  return parsed;
}

/**
 * Hides everything between `//` and the last `@` of a URL that may not parse (a password may hold `@`), and
 * the value of a `password=` parameter up to the next `&` or `#` (it may hold spaces in a URL that does not parse).
 * Internal. Linear in the length of `text`: each piece between '&' and '#', and each stretch of it between '=',
 * is read once.
 */
export function hideSecrets(text: string): string {
  const pieces = text.replace(/\/\/[^/?#]*@/, '//****@').split(/([&#])/);
  // pieces: text, separator, text, separator… In a piece, a key starts after its leading '&' or after a '?',
  // and runs to the next '='; the value runs to the piece's end. The first key of a stretch between '=' is the
  // longest: when it names no secret, no later one in the stretch does.
  for (let i = 0; i < pieces.length; i += 2) {
    const piece = pieces[i]!;
    for (let start = 0, equals = piece.indexOf('='); equals >= 0; equals = piece.indexOf('=', start)) {
      const stretch = piece.slice(start, equals);
      const question = stretch.indexOf('?');
      const key = start === 0 && pieces[i - 1] === '&' ? 0 : question < 0 ? -1 : question + 1;
      // 'pass' covers 'password'.
      if (key >= 0 && /pass|pwd|token|secret/i.test(stretch.slice(key))) {
        pieces[i] = `${piece.slice(0, equals + 1)}****`;
        break;
      }
      start = equals + 1;
    }
  }
  return pieces.join('');
}

/** The server as messages show it, never with a password: `postgres://app@db:5432/app`. */
export function describeTarget(connection: ConnectionFields): string {
  const { password: _, ...where } = connection;
  try {
    // pg's own resolution (URL, fields, PG* variables, defaults), so messages name the server it will use.
    const { user, host, port, database } = new pg.Client(where);
    // A Unix socket directory is encoded (as in a URL); an IPv6 address is bracketed, as pg itself unbrackets it.
    let shownHost = host.includes(':') ? `[${host}]` : host;
    if (host.startsWith('/')) shownHost = encodeURIComponent(host);
    const address = `${shownHost}:${port}`;
    return `postgres://${user ? `${encodeURIComponent(user)}@` : ''}${address}/${database ?? ''}`;
  } catch {
    // pg could not read the URL's parameters (e.g. a missing sslrootcert file); pg will say so on connect.
    return connection.connectionString ? redactUrl(connection.connectionString) : 'postgres://(pg defaults)';
  }
}
