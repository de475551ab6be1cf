import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { InvalidEventError } from './invalid-event.js';

/** Most levels of objects and arrays a field of a JSON body may nest; the field's own value is level 1. */
export const maxFieldDepth = 32;

/** Why a JSON body cannot be stored as sent. */
export type BodyProblemKind = 'depth' | 'text' | 'too-large' | 'underflow' | 'unsafe-integer' | 'precision';

/** What in a JSON body cannot be stored as sent, and where. */
export interface BodyProblem {
  /** `body/<field>` when inside a top-level field named `knownFields`, else `body`. */
  field: string;
  /** Position in the body, in characters, from 1. */
  at: number;
  problem: BodyProblemKind;
}

/**
 * The first place in the JSON text `text` that cannot be stored as sent, or `undefined`: nesting deeper
 * than `maxDepth` (the body is level 1), a NUL character or an unpaired surrogate (jsonb holds neither;
 * in valid UTF-8 they can only be written as `\u` escapes), or a number a double does not hold as written.
 * One pass, no recursion and no backtracking; malformed JSON is left to the parser.
 */
export function bodyProblem(
  text: string,
  maxDepth: number,
  knownFields: readonly string[] = [],
): BodyProblem | undefined {
  const objects: boolean[] = [];
  let field = 'body';
  let expectKey = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      const end = stringEnd(text, i + 1);
      if (end.bad !== undefined) return { field, at: end.bad + 1, problem: 'text' };
      if (expectKey && objects.length === 1) {
        const key = text.slice(i + 1, end.at);
        field = knownFields.includes(key) ? `body/${key}` : 'body';
      }
      expectKey = false;
      i = end.at + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (objects.length >= maxDepth) return { field, at: i + 1, problem: 'depth' };
      objects.push(c === 0x7b);
      expectKey = c === 0x7b;
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      objects.pop();
      expectKey = false;
      i++;
    } else if (c === 0x2c) {
      expectKey = objects.at(-1) === true;
      i++;
    } else if (c === 0x2d || isDigit(c)) {
      const end = numberEnd(text, i);
      const problem = numberProblem(text.slice(i, end));
      if (problem !== undefined) return { field, at: i + 1, problem };
      i = end;
    } else {
      i++;
    }
  }
  return undefined;
}

/** The 400 message for a {@link BodyProblem}: the field, the position and why, never the value. */
export function bodyProblemMessage({ field, at, problem }: BodyProblem, maxDepth: number): string {
  const where = `${field}, at character ${at}`;
  switch (problem) {
    case 'depth':
      return `${where}: objects and arrays nest deeper than ${field === 'body' ? maxDepth : maxDepth - 1} levels`;
    case 'text':
      return `${where}: a NUL character (\\u0000) or an unpaired surrogate, which PostgreSQL cannot store`;
    case 'too-large':
      return `${where}: a number too large for a double (such as 1e400), which would be stored as null`;
    case 'underflow':
      return `${where}: a non-zero number too small for a double (such as 1e-400), which would be stored as 0`;
    case 'unsafe-integer':
      return `${where}: an integer beyond ±9007199254740991 (Number.MAX_SAFE_INTEGER), which would be rounded`;
    case 'precision':
      return `${where}: a number with more digits than a double holds, which would be rounded`;
  }
}

/**
 * Replaces Fastify's JSON parser: the raw body must be valid UTF-8 (else it would be read with U+FFFD in
 * place of the bad bytes) and pass {@link bodyProblem} before Fastify's own parser (prototype poisoning
 * refused) reads it. Every refusal is a 400 {@link InvalidEventError} naming the field, never quoting it.
 */
export function strictJsonBodies(server: FastifyInstance, knownFields: readonly string[]): void {
  const parse = server.getDefaultJsonParser('error', 'ignore');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    if (!isUtf8(raw)) {
      done(new InvalidEventError('body is not valid UTF-8: text would be stored with U+FFFD in its place'));
      return;
    }
    const text = raw.toString('utf8');
    const problem = bodyProblem(text, maxFieldDepth + 1, knownFields);
    if (problem !== undefined) {
      done(new InvalidEventError(bodyProblemMessage(problem, maxFieldDepth + 1)));
      return;
    }
    parse(request, text, done);
  });
}

const quote = 0x22;
const backslash = 0x5c;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexAt(text: string, i: number): number {
  const hex = text.slice(i, i + 4);
  return hex.length === 4 && /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
}

/** Where the string opened before `from` ends (its closing quote), and the first unstorable escape in it. */
function stringEnd(text: string, from: number): { at: number; bad?: number } {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) return { at: i };
    if (c !== backslash) {
      i++;
      continue;
    }
    if (text.charCodeAt(i + 1) !== 0x75) {
      i += 2;
      continue;
    }
    const unit = hexAt(text, i + 2);
    if (unit === 0 || (unit >= 0xdc00 && unit <= 0xdfff)) return { at: i, bad: i };
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = text.startsWith('\\u', i + 6) ? hexAt(text, i + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff) return { at: i, bad: i };
      i += 12;
    } else {
      i += 6;
    }
  }
  return { at: i };
}

function numberEnd(text: string, from: number): number {
  let i = from;
  const skipDigits = () => {
    while (isDigit(text.charCodeAt(i))) i++;
  };
  if (text.charCodeAt(i) === 0x2d) i++;
  skipDigits();
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    skipDigits();
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    skipDigits();
  }
  return i;
}

/** A decimal number as significant digits (no leading or trailing zeros) times 10 to `exponent`. */
interface Decimal {
  digits: string;
  exponent: number;
  integerLiteral: boolean;
}

function decimalOf(token: string): Decimal | undefined {
  const e = Math.max(token.indexOf('e'), token.indexOf('E'));
  const mantissa = e === -1 ? token : token.slice(0, e);
  const written = e === -1 ? 0 : Number(token.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const whole = (dot === -1 ? mantissa : mantissa.slice(0, dot)).replace('-', '');
  const fraction = dot === -1 ? '' : mantissa.slice(dot + 1);
  if (whole === '' || (dot !== -1 && fraction === '') || Number.isNaN(written)) return undefined;
  let digits = `${whole}${fraction}`;
  let start = 0;
  while (start < digits.length && digits[start] === '0') start++;
  let end = digits.length;
  while (end > start && digits[end - 1] === '0') end--;
  digits = digits.slice(start, end);
  return {
    digits,
    exponent: digits === '' ? 0 : written - fraction.length + (whole.length + fraction.length - end),
    integerLiteral: dot === -1 && e === -1,
  };
}

function numberProblem(token: string): BodyProblemKind | undefined {
  const written = decimalOf(token);
  // Not a JSON number: the parser refuses the body.
  if (written === undefined) return undefined;
  const value = Number(token);
  if (!Number.isFinite(value)) return 'too-large';
  if (value === 0) return written.digits === '' ? undefined : 'underflow';
  if (written.integerLiteral && !Number.isSafeInteger(value)) return 'unsafe-integer';
  // What JSON.stringify will write: the shortest decimal that reads back as the same double.
  const stored = decimalOf(String(value).replace('+', ''));
  return stored?.digits === written.digits && stored.exponent === written.exponent ? undefined : 'precision';
}
