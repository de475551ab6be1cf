/** Where output goes: only whether it is a terminal matters here. */
export interface ColorTarget {
  isTTY?: boolean;
}

/** Options of {@link supportsColor}. */
export interface ColorSupportOptions {
  /** The stream written to; defaults to `process.stdout`. */
  stream?: ColorTarget;
  /** The environment; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Whether to write ANSI colours: `FORCE_COLOR` (any value but `0` or `false`) turns them on, a non-empty
 * `NO_COLOR` (no-color.org) or `TERM=dumb` turns them off, and otherwise a TTY stream gets them.
 */
export function supportsColor(options: ColorSupportOptions = {}): boolean {
  const env = options.env ?? process.env;
  const stream = options.stream ?? process.stdout;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The styles the pictures use. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';

const codes: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

/** Wraps text in ANSI styles; with `enabled` false it returns the text unchanged. */
export type Paint = (text: string, ...styles: Style[]) => string;

/** A {@link Paint} that colours when `enabled`, and is the identity otherwise. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (text) => text;
  return (text, ...styles) => {
    if (text === '' || styles.length === 0) return text;
    const open = styles.map((s) => `\u001b[${codes[s][0]}m`).join('');
    const close = styles.map((s) => `\u001b[${codes[s][1]}m`).join('');
    return `${open}${text}${close}`;
  };
}

/** Removes ANSI escape sequences, to measure or compare the visible text. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences start with ESC
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
