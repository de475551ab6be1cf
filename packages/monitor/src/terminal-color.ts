import { WriteStream } from 'node:tty';
import { stripVTControlCharacters, styleText } from 'node:util';

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
 * Whether to write ANSI colours, as Node decides for its own output (`tty.WriteStream#hasColors` reading
 * `env`): a `FORCE_COLOR` of `''`, `1`, `2`, `3` or `true` turns them on and any other value (`0`, `false`)
 * off, whatever the stream; otherwise a non-empty `NO_COLOR` (no-color.org), `NODE_DISABLE_COLORS` or
 * `TERM=dumb` turns them off, and a TTY stream gets them when its terminal (`TERM`, `COLORTERM`, CI…) has
 * at least 16 colours.
 */
export function supportsColor(options: ColorSupportOptions = {}): boolean {
  const env = options.env ?? process.env;
  const stream = options.stream ?? process.stdout;
  if (env.FORCE_COLOR === undefined && stream.isTTY !== true) return false;
  // no-color.org ignores an empty NO_COLOR; Node would not. hasColors reads only env, never the stream.
  const { NO_COLOR, ...rest } = env;
  return WriteStream.prototype.hasColors(NO_COLOR === '' ? rest : env);
}

/** The styles the pictures use (names of `util.inspect.colors`). */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';

/** Wraps text in ANSI styles; with `enabled` false it returns the text unchanged. */
export type Paint = (text: string, ...styles: Style[]) => string;

/** A {@link Paint} that colours (with `util.styleText`) when `enabled`, and is the identity otherwise. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (text) => text;
  // The caller decided already: Node 22 would otherwise drop the styles when stdout is not a terminal.
  return (text, ...styles) =>
    text === '' || styles.length === 0 ? text : styleText(styles, text, { validateStream: false });
}

/** Removes ANSI escape sequences (`util.stripVTControlCharacters`), to measure or compare the visible text. */
export const stripAnsi = stripVTControlCharacters;
