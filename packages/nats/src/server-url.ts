import { invalidOption } from '@startup/core/plugin-kit';

/** One server of the list, parsed and checked. */
export interface ServerAddress {
  /** `host:port` (IPv6 bracketed), as nats.js expects it. */
  hostPort: string;
  /** The port alone (4222 when the URL has none). */
  port: number;
  /** `nats://host:port` or `tls://host:port`, without credentials: safe to show. */
  display: string;
  /** The URL asked for TLS (`tls://`). */
  tls: boolean;
  /** `nats://user:pass@host`: user and password. */
  user?: string;
  pass?: string;
  /** `nats://token@host`: a token (the NATS URL convention of the Go and Python clients). */
  token?: string;
}

const scheme = /^([a-z][a-z0-9+.-]*):\/\//i;
const defaultPort = 4222;

/** `host:port` with no credentials (`[::1]:4222` too): a complete entry of a list. */
const hostPort = /^[^@/]*:\d{1,5}$/;

/**
 * Splits one comma-separated string of servers (the `NATS_URL` convention) into entries, keeping a comma
 * inside credentials: a piece with a scheme and no `@` yet is joined with the pieces up to the next one holding
 * an `@`, unless a scheme or a complete `host:port` comes first (`nats://u:pa,ss@h` is one entry;
 * `nats://a,nats://u:p@b`, `a:4222,u:p@b` and `nats://a:1,b:2,t@c` are lists). Splitting inside a password
 * would show its pieces as hosts and ports. `nats://a:1,t@c` reads as one URL (user `a`): give such a list as
 * an array, or each entry its scheme.
 */
export function splitServers(text: string): string[] {
  const pieces = text.split(',');
  const entries: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    let entry = pieces[i] ?? '';
    const head = entry.trim();
    if (scheme.test(head) && !head.includes('@')) {
      const closing = pieces.findIndex(
        (piece, j) => j > i && (scheme.test(piece.trim()) || piece.includes('@')),
      );
      const between = pieces.slice(i + 1, closing);
      if (
        closing > i &&
        !scheme.test((pieces[closing] ?? '').trim()) &&
        !between.some((p) => hostPort.test(p.trim()))
      ) {
        entry = pieces.slice(i, closing + 1).join(',');
        i = closing;
      }
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * Parses one entry of `servers`: `host[:port]`, `nats://[user:pass@|token@]host[:port]` or `tls://…`.
 * Throws `STARTUP_ERR_INVALID_OPTION` naming `field`; credentials never appear in the message.
 */
export function parseServer(raw: unknown, field: string, plugin?: string): ServerAddress {
  const expected = 'a NATS server as "host:port", "nats://host:port" or "tls://host:port"';
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidOption(field, expected, safe(raw), plugin);
  const text = raw.trim();
  const protocol = scheme.exec(text)?.[1]?.toLowerCase();
  if (protocol === 'ws' || protocol === 'wss') {
    throw invalidOption(
      field,
      'a TCP server (nats:// or tls://); WebSocket needs wsconnect from @nats-io/nats-core, not this connector',
      safe(text),
      plugin,
    );
  }
  if (protocol !== undefined && protocol !== 'nats' && protocol !== 'tls') {
    throw invalidOption(field, `${expected} (scheme nats:// or tls://)`, safe(text), plugin);
  }
  let url: URL;
  try {
    url = new URL(protocol === undefined ? `nats://${text}` : text);
  } catch {
    throw invalidOption(field, expected, safe(text), plugin);
  }
  if (url.hostname === '' || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw invalidOption(field, `${expected}, without path or query`, safe(text), plugin);
  }
  const port = url.port === '' ? defaultPort : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidOption(field, `${expected} with a port between 1 and 65535`, safe(text), plugin);
  }
  const hostPort = `${url.hostname}:${port}`;
  const tls = protocol === 'tls';
  const address: ServerAddress = { hostPort, port, display: `${tls ? 'tls' : 'nats'}://${hostPort}`, tls };
  const user = decode(url.username);
  const pass = decode(url.password);
  if (user !== '' && url.password !== '') Object.assign(address, { user, pass });
  else if (user !== '') address.token = user;
  else if (pass !== '')
    throw invalidOption(field, `${expected}; a password needs a user`, safe(text), plugin);
  return address;
}

/** `text` with anything between the scheme and an `@` masked: a token has no `:` for redactSecrets to find. */
export function safe(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i,
    (_match, prefix: string | undefined) => `${prefix ?? ''}****@`,
  );
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
