import { hideUserInfo } from './user-info.js';

// user:password@ in any URL-like text, with or without a scheme (the last '@' before the path ends the
// password, as URL parsers read it); also password=... in key/value strings, prefixed keys (PGPASSWORD,
// access_token) and quoted libpq values ('my secret') included.
const userInfo = /((?:\b[a-z][a-z0-9+.-]*:)?\/\/[^:/?#\s]*):([^/?#\s]*)@/gi;
// The same without '//' (`app:pw@db`, `postgres:app:pw@db/app`): a typo must not print the password.
const bareUserInfo = /(^|[\s"'=(,;])([^\s:/?#@"'=(,;]+):([^\s/?#"']+)@(?=[\w[])/gi;
const keyValue =
  /\b(\w*?(?:password|pass|pwd|token|secret))(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^&\s;]+)/gi;

/**
 * Replaces the password of every URL in `text` with `****` (`postgres://app:****@db:5432/app`),
 * and `password=…`-style pairs likewise. Also removes each of the given literal `secrets`.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(userInfo, '$1:****@')
    .replace(bareUserInfo, '$1$2:****@')
    .replace(keyValue, '$1$2****');
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('****');
  }
  return out;
}

/** `url` with its password (if any) replaced by `****`; a URL that cannot be parsed is redacted as text. */
export function redactUrl(url: string | URL): string {
  const text = String(url);
  try {
    const parsed = new URL(text);
    if (parsed.password) parsed.password = '****';
    return redactSecrets(parsed.toString());
  } catch {
    // Too broken to parse: whatever stands before the last '@' may be a password.
    return redactSecrets(hideUserInfo(text));
  }
}
