import { invalidOption, redactUrl } from '@startup/core/plugin-kit';

/** Reads one environment variable and records what is wrong with it instead of throwing. */
export interface EnvReader {
  /** The raw value, or `undefined` when unset or empty (an empty value means "use the default"). */
  raw(name: string): string | undefined;
  /** An integer within [min, max]; `fallback` when unset. */
  integer(name: string, fallback: number, min: number, max: number): number;
  /** One of `choices`; `fallback` when unset. */
  choice<T extends string>(name: string, fallback: T, choices: readonly T[]): T;
  /** A URL whose scheme is one of `schemes` (without the colon); `fallback` when unset. */
  url(name: string, fallback: string, schemes: readonly string[]): string;
  /** A string matching `pattern`; `fallback` when unset. */
  text(name: string, fallback: string, pattern: RegExp, expected: string): string;
  /** Records a problem found by a check that spans several variables. */
  problem(name: string, expected: string, value: unknown): void;
  /** One line per bad variable, each naming it. Empty when everything is valid. */
  readonly problems: readonly string[];
}

/** An {@link EnvReader} over `env`. Messages never show a password: URLs are redacted. */
export function envReader(env: Readonly<Record<string, string | undefined>>): EnvReader {
  const problems: string[] = [];
  const problem = (name: string, expected: string, value: unknown) => {
    problems.push(invalidOption(name, expected, value).message);
  };
  const raw = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  return {
    raw,
    problem,
    problems,
    integer(name, fallback, min, max) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        problem(name, `an integer between ${min} and ${max}`, value);
        return fallback;
      }
      return n;
    },
    choice(name, fallback, choices) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const found = choices.find((c) => c === value.toLowerCase());
      if (found === undefined) problem(name, `one of ${choices.join(', ')}`, value);
      return found ?? fallback;
    },
    url(name, fallback, schemes) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const expected = `a ${schemes.map((s) => `${s}://`).join(' or ')} URL`;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        problem(name, expected, redactUrl(value));
        return fallback;
      }
      if (!schemes.includes(parsed.protocol.slice(0, -1)) || parsed.hostname === '') {
        problem(name, `${expected} with a host`, redactUrl(value));
        return fallback;
      }
      return value;
    },
    text(name, fallback, pattern, expected) {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!pattern.test(value)) {
        problem(name, expected, value);
        return fallback;
      }
      return value;
    },
  };
}
