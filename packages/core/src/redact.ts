import { hideUserInfo } from './user-info.js';

// Masking runs on response bodies and log lines, so each pass below is a single left-to-right scan that
// visits every character a bounded number of times: no input can make it slower than linear (a regex with
// the same meaning backtracks quadratically on text such as `a.a.a.a…` or `;a:;a:;a:…`).
//
// What is masked: user:password@ in any URL-like text, with or without '//' (the last '@' before the path
// ends the password, as URL parsers read it), and password=... in key/value strings, prefixed keys
// (PGPASSWORD, access_token) and quoted libpq values ('my secret') included.

const mask = '****';

/** Counts characters visited by the scanners; tests read it to prove linear work. Internal. */
export const redactWork = { visited: 0 };

/**
 * Replaces the password of every URL in `text` with `****` (`postgres://app:****@db:5432/app`),
 * and `password=…`-style pairs likewise. Also removes each of the given literal `secrets`.
 * Takes time linear in the length of `text` (times the number of `secrets`), whatever it contains.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = maskKeyValues(maskBareUserInfo(maskUserInfo(text)));
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

// `//user:password@`: the user runs to the first ':' (no '/?#' or space), the password to the last '@'
// before a '/', '?', '#' or space. A failed candidate's scan ends at a '/', so no character is scanned twice.
function maskUserInfo(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let i = text.indexOf('//');
  while (i >= 0) {
    const colon = runEnd(text, i + 2, isUserEnd);
    let next = colon > i + 2 ? colon : i + 1;
    if (text.charCodeAt(colon) === 0x3a /* : */) {
      const end = runEnd(text, colon + 1, isPathStart);
      const at = lastAt(text, colon, end);
      if (at > colon) {
        parts.push(text.slice(copied, colon + 1), mask);
        copied = at;
        next = at + 1;
      } else next = end;
    }
    i = text.indexOf('//', next);
    redactWork.visited += (i < 0 ? text.length : i) - next;
  }
  return join(parts, text, copied);
}

// `user:password@host` without '//' (`app:pw@db`, `postgres:app:pw@db/app`): a typo must not print the
// password. It starts the text or follows a delimiter; the password is everything up to the last '@'
// followed by a word character or '[' before a space, quote or '/?#'. Candidates share that run (`;a:;a:…`),
// so its end and last '@' are found once and reused while the candidates stay inside it.
function maskBareUserInfo(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let runStart = -1;
  let runStop = -1;
  let runAt = -1;
  let i = 0;
  while (i < text.length) {
    const starts = i === 0 || isBareDelimiter(text.charCodeAt(i));
    if (starts) {
      // At the very start the name may begin at once (`^`); elsewhere, after the delimiter.
      const user = isBareDelimiter(text.charCodeAt(i)) ? i + 1 : i;
      const colon = runEnd(text, user, isBareUserEnd);
      if (colon > user && text.charCodeAt(colon) === 0x3a /* : */) {
        const from = colon + 1;
        if (from < runStart || from >= runStop) {
          runStart = from;
          runStop = runEnd(text, from, isBarePasswordEnd);
          runAt = lastBareAt(text, from, runStop);
        }
        if (runAt > from) {
          parts.push(text.slice(copied, from), mask);
          copied = runAt;
          i = runAt + 1;
          continue;
        }
      }
      // The next candidate is a delimiter, which no user name contains: continue from where the name ended.
      i = Math.max(colon, i + 1);
      continue;
    }
    i++;
    redactWork.visited++;
  }
  return join(parts, text, copied);
}

function lastAt(text: string, from: number, stop: number): number {
  for (let k = stop - 1; k > from; k--) {
    redactWork.visited++;
    if (text.charCodeAt(k) === 0x40 /* @ */) return k;
  }
  return -1;
}

function lastBareAt(text: string, from: number, stop: number): number {
  for (let k = stop - 2; k > from; k--) {
    redactWork.visited++;
    if (text.charCodeAt(k) === 0x40 /* @ */ && isWordOrBracket(text.charCodeAt(k + 1))) return k;
  }
  return -1;
}

const keys = ['password', 'pass', 'pwd', 'token', 'secret'];

// `key = value` where the key is a whole word ending in one of `keys` (any case) and the value is a quoted
// string (backslash escapes) or runs to the next '&', ';' or space.
function maskKeyValues(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!isWord(text.charCodeAt(i))) {
      i++;
      redactWork.visited++;
      continue;
    }
    const wordEnd = runEnd(text, i, (c) => !isWord(c));
    const word = text.slice(Math.max(i, wordEnd - 8), wordEnd).toLowerCase();
    i = wordEnd;
    if (!keys.some((key) => word.endsWith(key))) continue;
    const equals = runEnd(text, wordEnd, (c) => !isSpace(c));
    if (text.charCodeAt(equals) !== 0x3d /* = */) continue;
    const value = runEnd(text, equals + 1, (c) => !isSpace(c));
    const end = valueEnd(text, value);
    if (end > value) {
      parts.push(text.slice(copied, value), mask);
      copied = end;
      i = end;
    }
  }
  return join(parts, text, copied);
}

function valueEnd(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  if (quote === 0x27 /* ' */ || quote === 0x22 /* " */) {
    for (let k = start + 1; k < text.length; k++) {
      redactWork.visited++;
      const c = text.charCodeAt(k);
      if (c === quote) return k + 1;
      if (c === 0x5c /* \ */) {
        if (k + 1 >= text.length || isLineTerminator(text.charCodeAt(k + 1))) break;
        k++;
      }
    }
  }
  return runEnd(text, start, (c) => c === 0x26 /* & */ || c === 0x3b /* ; */ || isSpace(c));
}

function runEnd(text: string, from: number, stop: (c: number) => boolean): number {
  let k = from;
  while (k < text.length && !stop(text.charCodeAt(k))) k++;
  redactWork.visited += k - from + 1;
  return k;
}

function join(parts: string[], text: string, copied: number): string {
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

const isUserEnd = (c: number) => c === 0x3a || isPathStart(c);
const isPathStart = (c: number) => c === 0x2f || c === 0x3f || c === 0x23 || isSpace(c);
const isBareDelimiter = (c: number) =>
  isSpace(c) || c === 0x22 || c === 0x27 || c === 0x3d || c === 0x28 || c === 0x2c || c === 0x3b;
const isBareUserEnd = (c: number) => c === 0x3a || c === 0x40 || isPathStart(c) || isBareDelimiter(c);
const isBarePasswordEnd = (c: number) => isPathStart(c) || c === 0x22 || c === 0x27;

function isWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isWordOrBracket(c: number): boolean {
  return isWord(c) || c === 0x5b /* [ */;
}

function isLineTerminator(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

// What a regex's `\s` matches.
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
