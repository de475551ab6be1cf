// biome-ignore-all lint/suspicious/noConfusingLabels: the `countWork` label marks the counting the build drops
import { hideUserInfo } from './user-info.js';

// Masking runs on response bodies and log lines, so each pass below reads every character a bounded number of
// times: no input can make it slower than linear (a regex with the same meaning backtracks quadratically on
// text such as `a.a.a.a…` or `;a:;a:;a:…`). The few regexes here are a character class repeated, or one
// character with one of lookahead: they read each character once and cannot backtrack.
//
// What is masked: user:password@ in any URL-like text, with or without '//' (the last '@' before the path
// ends the password, as URL parsers read it), and password=... in key/value strings, prefixed keys
// (PGPASSWORD, access_token) and quoted libpq values ('my secret') included.

const mask = '****';

/**
 * Counts characters visited by the scanners; tests read it to prove linear work. Internal. Every statement that
 * counts is labelled `countWork`, which the build drops (tsup's `dropLabels`): the published code does not count.
 */
export const redactWork = { visited: 0 };

/**
 * Replaces the password of every URL in `text` with `****` (`postgres://app:****@db:5432/app`),
 * and `password=…`-style pairs likewise. Also removes each of the given literal `secrets`.
 * Takes time linear in the length of `text` (times the number of `secrets`), whatever it contains.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // A user-info needs an '@', a key/value pair an '=': most log lines have neither, and skip those passes.
  if (out.includes('@')) out = maskBareUserInfo(maskUserInfo(out));
  if (out.includes('=')) out = maskKeyValues(out);
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(mask);
  }
  return out;
}

/** `url` with its password (if any) replaced by `****`; a URL that cannot be parsed is redacted as text. */
export function redactUrl(url: string | URL): string {
  const text = String(url);
  try {
    const parsed = new URL(text);
    if (parsed.password) parsed.password = mask;
    return redactSecrets(parsed.toString());
  } catch {
    // Too broken to parse: whatever stands before the last '@' may be a password.
    return redactSecrets(hideUserInfo(text));
  }
}

// `//user:password@`: the user-info is the piece of text after '//' up to a '/?#' or space. The user runs
// to its first ':', the password to its last '@'.
function maskUserInfo(text: string): string {
  countWork: redactWork.visited += text.length;
  return text.replace(/\/\/[^/?#\s]+/g, (piece: string) => {
    const colon = piece.indexOf(':');
    const at = piece.lastIndexOf('@');
    countWork: redactWork.visited += piece.length;
    return colon > 0 && at > colon ? piece.slice(0, colon + 1) + mask + piece.slice(at) : piece;
  });
}

// `user:password@host` without '//' (`app:pw@db`, `postgres:app:pw@db/app`): a typo must not print the
// password. It lies in one piece of text between '/?#', spaces or quotes: the password ends at the piece's
// last '@' followed by a word character or '['; the user name is the first in the piece that ends at a ':'
// and starts the piece (after a space or quote, or at the start of the text) or follows one of '=(,;'. Only
// the pieces holding an '@' are read, each once from each end.
function maskBareUserInfo(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  for (let end = 0, at = text.indexOf('@'); at >= 0; at = text.indexOf('@', end)) {
    let start = at;
    while (start > 0 && !isBareSeparator(text, start - 1)) start--;
    end = at;
    while (end < text.length && !isBareSeparator(text, end)) end++;
    let last = end - 2;
    while (
      last > start &&
      !(text[last] === '@' && (isWord(text.charCodeAt(last + 1)) || text[last + 1] === '['))
    ) {
      last--;
    }
    countWork: redactWork.visited += 3 * (end - start);
    // Where the current user name began; -1 while there is none (after a ':' or '@', or at a '/?#').
    let user = '/?#'.includes(text[start - 1] || ' ') ? -1 : start;
    for (let k = start; k < last - 1; k++) {
      const c = text[k]!;
      if ('=(,;'.includes(c)) user = k + 1;
      else if (c === ':' && user >= 0 && k > user) {
        parts.push(text.slice(copied, k + 1), mask);
        copied = last;
        break;
      } else if (c === ':' || c === '@') user = -1;
    }
  }
  return parts.length === 0 ? text : parts.join('') + text.slice(copied);
}

// `key = value` where the key is a whole word ending in one of `keys` (any case) and the value is a quoted
// string (backslash escapes) or runs to the next '&', ';' or space. Each '=' is looked at once: back over
// spaces and the word before it (never past the previous '='), then forward over its value.
const keys = ['password', 'pass', 'pwd', 'token', 'secret'];

function maskKeyValues(text: string): string {
  const parts: string[] = [];
  // Where the search for the next '=' begins, and where the text not copied yet (and the next key) begins.
  let from = 0;
  let copied = 0;
  for (;;) {
    const equals = text.indexOf('=', from);
    countWork: redactWork.visited += (equals < 0 ? text.length : equals) - from;
    if (equals < 0) break;
    from = equals + 1;
    let keyEnd = equals;
    while (keyEnd > 0 && isSpace(text, keyEnd - 1)) keyEnd--;
    let keyStart = keyEnd;
    while (keyStart > 0 && isWord(text.charCodeAt(keyStart - 1))) keyStart--;
    countWork: redactWork.visited += equals - keyStart;
    // No key is shorter than 3 characters.
    if (keyStart < copied || keyEnd - keyStart < 3) continue;
    const key = text.slice(Math.max(keyStart, keyEnd - 8), keyEnd).toLowerCase();
    if (!keys.some((k) => key.endsWith(k))) continue;
    let value = from;
    while (isSpace(text, value)) value++;
    const end = valueEnd(text, value);
    countWork: redactWork.visited += end - equals;
    if (end > value) {
      parts.push(text.slice(copied, value), mask);
      from = copied = end;
    }
  }
  return parts.length === 0 ? text : parts.join('') + text.slice(copied);
}

function valueEnd(text: string, start: number): number {
  const quote = text[start];
  if (quote === "'" || quote === '"') {
    for (let k = start + 1; k < text.length; k++) {
      countWork: redactWork.visited++;
      const c = text[k];
      if (c === quote) return k + 1;
      // `\.` escapes any character but a line terminator.
      if (c === '\\' && (k + 1 >= text.length || /[\n\r\u2028\u2029]/.test(text[++k]!))) break;
    }
  }
  let end = start;
  while (end < text.length && !isSpace(text, end) && !'&;'.includes(text[end]!)) end++;
  return end;
}

/** Whether `text[k]` is what `\s` matches; the regex only sees characters outside printable ASCII. */
function isSpace(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  return c === 0x20 || ((c < 0x20 || c > 0x7e) && /\s/.test(text[k]!));
}

function isBareSeparator(text: string, k: number): boolean {
  return isSpace(text, k) || '/?#"\''.includes(text[k]!);
}

/** Whether `c` is what `\w` matches. */
function isWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}
