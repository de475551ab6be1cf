import type { StartupReport } from '@startup/core';
import { errorText } from './error-text.js';
import type { StartupEventSource } from './event-source.js';
import { formatMs } from './format.js';
import type { StartEstimate } from './predict.js';
import { printable } from './printable.js';
import { painter, type Style, supportsColor } from './terminal-color.js';

/** What {@link liveProgress} listens to: a `createStartup()` app, typed by shape. */
export interface LiveProgressSource extends StartupEventSource {
  /** The report so far: the plugins to show before the first event. */
  report(): StartupReport;
}

/** Where {@link liveProgress} writes: a stream, or anything with `write`. */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** True for a terminal: lines are redrawn in place. Otherwise one line is printed per event. */
  isTTY?: boolean;
  /** Terminal width; lines are cut to fit so redrawing never wraps. Defaults to 80. */
  columns?: number;
}

/** Options of {@link liveProgress}. */
export interface LiveProgressOptions {
  /** Defaults to `process.stderr`. */
  stream?: ProgressStream;
  /** ANSI colours in TTY mode. Defaults to {@link supportsColor} of the stream. */
  color?: boolean;
  /**
   * Where the start is heading, e.g. `() => monitor.estimate()`: on a TTY the closing line shows it while the start
   * runs; otherwise a line is printed when a start first looks on course to exceed its alert threshold. Defaults to none.
   */
  estimate?: () => StartEstimate | undefined;
}

/** A running {@link liveProgress}: call it to stop listening (the lines drawn stay). */
export interface LiveProgress {
  (): void;
  /**
   * Runs `write`, which writes whole lines to the same terminal (a log line, on this stream or another),
   * above the live lines: they are cleared first and drawn again below, so the output neither tears the
   * picture nor is overwritten by it. Outside a TTY, or once stopped, it only runs `write`.
   */
  writeAbove(write: () => void): void;
}

interface Line {
  plugin: string;
  text: string;
  style?: Style;
}

/**
 * Shows a start as it runs. On a TTY, one line per plugin is redrawn in place (waiting for its
 * dependencies, connecting, attempt n failed and the backoff, ready in X ms, failed: reason, skipped) with
 * a closing line for the start; otherwise one plain line per event, fit for logs. Returns a disposer
 * that unsubscribes (the lines already drawn stay), whose `writeAbove` lets other output, such as log
 * lines, through while the picture is live.
 * @example const stop = liveProgress(app); await app.start(); stop();
 */
export function liveProgress(app: LiveProgressSource, options: LiveProgressOptions = {}): LiveProgress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const paint = painter(tty && (options.color ?? supportsColor({ stream })));
  const lines: Line[] = [];
  let footer: Line | undefined;
  let drawn = 0;

  const lineOf = (plugin: string): Line => {
    const found = lines.find((l) => l.plugin === plugin);
    if (found) return found;
    const line: Line = { plugin, text: 'waiting' };
    lines.push(line);
    return line;
  };
  const redraw = () => {
    // A pty without a size reports 0 columns.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const nameWidth = Math.min(24, Math.max(...lines.map((l) => l.plugin.length), 6));
    const rows = lines.map((l) => {
      const status = clip(l.text, width - nameWidth - 2);
      return `${clip(l.plugin, nameWidth).padEnd(nameWidth)}  ${l.style ? paint(status, l.style) : status}`;
    });
    if (footer) rows.push(paint(clip(footer.text, width), footer.style ?? 'bold'));
    let out = drawn > 0 ? `\u001b[${drawn}A\r` : '';
    for (const row of rows) out += `\u001b[2K${row}\n`;
    drawn = rows.length;
    stream.write(out);
  };
  // Names and error messages come from plugins and servers: their control characters are shown, not obeyed.
  let warned = false;
  const estimateLine = (): Line | undefined => {
    const e = options.estimate?.();
    if (!e) return undefined;
    if (!tty && e.onCourseToExceed && !warned) {
      warned = true;
      stream.write(`[startup] ${printable(e.text)}\n`);
    }
    return { plugin: '', text: printable(e.text), style: e.onCourseToExceed ? 'yellow' : 'dim' };
  };
  const update = (name: string, status: string, style?: Style) => {
    const plugin = printable(name);
    const text = printable(status);
    if (!tty) {
      stream.write(`[startup] ${plugin}: ${text}\n`);
      return void estimateLine();
    }
    const line = lineOf(plugin);
    line.text = text;
    line.style = style;
    footer = estimateLine() ?? footer;
    redraw();
  };
  const finish = (status: string, style: Style) => {
    const text = printable(status);
    if (!tty) return void stream.write(`[startup] ${text}\n`);
    footer = { plugin: '', text, style };
    redraw();
  };

  if (tty) {
    for (const plugin of app.report().plugins) {
      const deps = plugin.dependsOn.length > 0 ? ` for ${plugin.dependsOn.join(', ')}` : '';
      lineOf(printable(plugin.name)).text = printable(`waiting${deps}`);
    }
    if (lines.length > 0) redraw();
  }
  const offs = [
    app.on('plugin:start', (e) => update(e.plugin, `starting at ${formatMs(e.atMs)}`)),
    app.on('plugin:attempt', (e) => update(e.plugin, `connecting (attempt ${e.attempt})`, 'cyan')),
    app.on('plugin:retry', (e) =>
      update(
        e.plugin,
        `attempt ${e.attempt} failed, retrying in ${formatMs(e.delayMs)}: ${errorText(e.error)}`,
        'yellow',
      ),
    ),
    app.on('plugin:ready', (e) => {
      const tries = e.attempts > 1 ? ` (${e.attempts} attempts)` : '';
      update(e.plugin, `ready in ${formatMs(e.durationMs)}${tries}`, 'green');
    }),
    app.on('plugin:failed', (e) => {
      const optional = e.optional ? ' (optional)' : '';
      update(e.plugin, `failed${optional} after ${e.attempts} attempt(s): ${errorText(e.error)}`, 'red');
    }),
    app.on('plugin:skipped', (e) => update(e.plugin, `skipped: ${e.reason}`, 'dim')),
    app.on('startup:ready', (e) =>
      finish(`start ${e.report.status} in ${formatMs(e.report.wallMs)}`, 'bold'),
    ),
    app.on('startup:failed', (e) => finish(`start ${e.report.status}: ${errorText(e.error)}`, 'red')),
  ];
  const stop = () => {
    for (const off of offs.splice(0)) off();
  };
  const writeAbove = (write: () => void) => {
    if (!tty || offs.length === 0 || drawn === 0) return write();
    // Up to the first live line, then clear everything below the cursor.
    stream.write(`\u001b[${drawn}A\r\u001b[0J`);
    drawn = 0;
    try {
      write();
    } finally {
      redraw();
    }
  };
  return Object.assign(stop, { writeAbove });
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
