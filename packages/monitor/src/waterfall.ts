import type { PluginReport, StartupReport } from '@startup/core';
import { checkInteger } from '@startup/core/plugin-kit';
import { errorText } from './error-text.js';
import { formatMs } from './format.js';
import { pluginDuration, pluginTimeline, type SegmentKind, timelineEnd } from './plugin-timeline.js';
import { printableReport } from './printable.js';
import { type Paint, painter, type Style, stripAnsi, supportsColor } from './terminal-color.js';
import { type TimeAxis, tickLabel, timeAxis } from './time-axis.js';

/** Options of {@link waterfall}. */
export interface WaterfallOptions {
  /** Width of the picture in columns; at least 40. Defaults to 80. */
  width?: number;
  /** ANSI colours. Defaults to {@link supportsColor} of `process.stdout` (a TTY, `NO_COLOR`, `FORCE_COLOR`). */
  color?: boolean;
}

/** The glyph of each kind of segment; distinct so the picture reads without colour. */
export const waterfallGlyphs: Readonly<Record<SegmentKind, string>> = Object.freeze({
  waiting: '·',
  failed: '▒',
  backoff: '░',
  success: '█',
  running: '▓',
});

const styles: Record<SegmentKind, Style> = {
  waiting: 'dim',
  failed: 'red',
  backoff: 'yellow',
  success: 'green',
  running: 'cyan',
};

// Later kinds win a shared column: an attempt is never hidden by the wait before it.
const paintOrder: SegmentKind[] = ['waiting', 'backoff', 'failed', 'running', 'success'];
const maxNameWidth = 24;
const minBarWidth = 10;

/**
 * A terminal waterfall of one start, like `systemd-analyze plot` in text: one bar per plugin on a shared
 * time axis showing the wait on its dependencies, failed attempts, backoff and the attempt that made it
 * ready; the plugins of the critical path marked `*` (bold in colour); durations; retries and failures
 * spelled out below; a legend. Lines are at most `width` columns unless the names leave no room.
 * Control characters in names and error messages are shown as pictures (`␛`), never sent to the terminal.
 */
export function waterfall(input: StartupReport, options: WaterfallOptions = {}): string {
  const report = printableReport(input);
  const width = checkInteger('width', options.width, 80, { min: 40 });
  const paint = painter(options.color ?? supportsColor());
  const critical = new Set(report.criticalPath);
  const names = report.plugins.map((p) => truncate(p.name, maxNameWidth - 2));
  const nameWidth = Math.max(6, ...names.map((n) => n.length + 2));
  let rights = report.plugins.map((p) => rightColumn(p, report.wallMs, true));
  if (width - nameWidth - Math.max(...rights.map((r) => r.length)) - 4 < 2 * minBarWidth) {
    rights = report.plugins.map((p) => rightColumn(p, report.wallMs, false));
  }
  const rightWidth = Math.max(2, ...rights.map((r) => r.length));
  const barWidth = Math.max(minBarWidth, width - nameWidth - rightWidth - 4);
  const axis = timeAxis(timelineEnd(report), Math.max(2, Math.floor(barWidth / 8)));
  const msPerColumn = axis.endMs / barWidth;

  const lines = [...header(report, paint, width), ''];
  lines.push(`${' '.repeat(nameWidth)} ${axisLabels(axis, msPerColumn, barWidth)}`);
  lines.push(`${' '.repeat(nameWidth)} ${ruler(axis, msPerColumn, barWidth)} ${axis.unit}`);
  report.plugins.forEach((plugin, i) => {
    const onPath = critical.has(plugin.name);
    const name = `${names[i]}${onPath ? ' *' : ''}`.padEnd(nameWidth);
    const bar = barOf(plugin, report.wallMs, msPerColumn, barWidth, paint, onPath);
    const right = rights[i]!.padStart(rightWidth);
    lines.push(`${onPath ? paint(name, 'bold') : name} ${bar}  ${statusPaint(plugin, right, paint)}`);
  });
  const notes = attemptNotes(report, nameWidth, width);
  if (notes.length > 0) lines.push('', paint('Retries and failures', 'bold'), ...notes);
  lines.push('', ...legend(report, paint, width));
  return `${lines.join('\n')}\n`;
}

function header(report: StartupReport, paint: Paint, width: number): string[] {
  const outcome =
    report.status === 'starting'
      ? `running for ${formatMs(report.wallMs)}`
      : `${report.status} in ${formatMs(report.wallMs)}`;
  const path = report.criticalPath.length > 0 ? report.criticalPath.join(' → ') : 'none';
  return flow(
    [
      paint(`Start ${outcome}`, 'bold'),
      `began ${report.startedAt}`,
      `critical path ${path} (${formatMs(report.criticalPathEndMs)})`,
      `plugins summed ${formatMs(report.sumMs)}`,
    ],
    ' · ',
    width,
  );
}

function rightColumn(plugin: PluginReport, nowMs: number, withTries: boolean): string {
  const duration = pluginDuration(plugin, nowMs);
  const tries = withTries && plugin.attempts.length > 1 ? `, ${plugin.attempts.length} tries` : '';
  const time = duration === undefined ? '' : formatMs(duration);
  switch (plugin.status) {
    case 'ready':
      return `${time}${tries}`;
    case 'skipped':
    case 'pending':
      return plugin.status;
    case 'starting':
      return `running ${time}${tries}`.trim();
    default:
      return `${time} ${plugin.status}${tries}`.trim();
  }
}

function statusPaint(plugin: PluginReport, text: string, paint: Paint): string {
  if (plugin.status === 'failed' || plugin.status === 'aborted') return paint(text, 'red');
  if (plugin.status === 'skipped' || plugin.status === 'pending') return paint(text, 'dim');
  return text;
}

function barOf(
  plugin: PluginReport,
  nowMs: number,
  msPerColumn: number,
  barWidth: number,
  paint: Paint,
  onPath: boolean,
): string {
  const cells: (SegmentKind | undefined)[] = new Array(barWidth).fill(undefined);
  const segments = pluginTimeline(plugin, nowMs);
  for (const kind of paintOrder) {
    for (const segment of segments) {
      if (segment.kind !== kind) continue;
      // Rounded boundaries make a chain line up: a dependant's attempt starts in the column after its
      // dependency's last one. An attempt always gets a column, however short.
      const from = Math.min(barWidth - 1, Math.round(segment.startMs / msPerColumn));
      const to = Math.min(barWidth, Math.round(segment.endMs / msPerColumn));
      if (to <= from && (kind === 'waiting' || kind === 'backoff')) continue;
      cells.fill(kind, from, Math.max(to, from + 1));
    }
  }
  let out = '';
  let i = 0;
  while (i < barWidth) {
    const kind = cells[i];
    let j = i;
    while (j < barWidth && cells[j] === kind) j++;
    const run = (kind ? waterfallGlyphs[kind] : ' ').repeat(j - i);
    out += kind ? paint(run, ...(onPath && kind !== 'waiting' ? ['bold' as const] : []), styles[kind]) : run;
    i = j;
  }
  return out;
}

function axisLabels(axis: TimeAxis, msPerColumn: number, barWidth: number): string {
  const chars = new Array<string>(barWidth + 1).fill(' ');
  let free = 0;
  for (const tick of axis.ticks) {
    const label = tickLabel(tick, axis.unit);
    const column = Math.round(tick / msPerColumn);
    const start = Math.min(column, barWidth + 1 - label.length);
    if (start < free) continue;
    for (let k = 0; k < label.length; k++) chars[start + k] = label[k]!;
    free = start + label.length + 1;
  }
  return chars.join('').trimEnd();
}

function ruler(axis: TimeAxis, msPerColumn: number, barWidth: number): string {
  const chars = new Array<string>(barWidth + 1).fill('─');
  for (const tick of axis.ticks) chars[Math.min(barWidth, Math.round(tick / msPerColumn))] = '┬';
  return chars.join('');
}

function attemptNotes(report: StartupReport, nameWidth: number, width: number): string[] {
  const lines: string[] = [];
  for (const plugin of report.plugins) {
    const notes: string[] = [];
    if (plugin.status === 'skipped') {
      notes.push(`skipped${plugin.skippedBecause ? `: ${plugin.skippedBecause} failed` : ''}`);
    } else if (plugin.attempts.length > 1 || plugin.status === 'failed' || plugin.status === 'aborted') {
      for (const segment of pluginTimeline(plugin, report.wallMs)) {
        const took = formatMs(segment.endMs - segment.startMs);
        if (segment.kind === 'backoff') {
          notes[notes.length - 1] = notes[notes.length - 1]!.replace(':', `, then ${took} backoff:`);
        } else if (segment.kind === 'failed') {
          notes.push(`attempt ${segment.attempt} failed after ${took}: ${errorText(segment.error)}`);
        } else if (segment.kind !== 'waiting') {
          notes.push(
            `attempt ${segment.attempt} ${segment.kind === 'running' ? 'running for' : 'ready after'} ${took}`,
          );
        }
      }
      if (plugin.attempts.length === 0 && plugin.error)
        notes.push(`${plugin.status}: ${errorText(plugin.error)}`);
    }
    notes.forEach((note, i) => {
      const name = i === 0 ? truncate(plugin.name, maxNameWidth - 2) : '';
      lines.push(truncate(`  ${name.padEnd(nameWidth - 2)} ${note}`, width));
    });
  }
  return lines;
}

function legend(report: StartupReport, paint: Paint, width: number): string[] {
  const item = (kind: SegmentKind, text: string) => `${paint(waterfallGlyphs[kind], styles[kind])} ${text}`;
  const items = [
    item('waiting', 'waiting on dependencies'),
    item('failed', 'failed attempt'),
    item('backoff', 'backoff'),
    item('success', 'attempt that succeeded'),
    ...(report.status === 'starting' ? [item('running', 'running')] : []),
    `${paint('*', 'bold')} critical path`,
  ];
  return flow(items, '  ', width);
}

// Joins items with `separator` into lines of at most `width` visible columns.
function flow(items: string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last !== undefined && stripAnsi(last).length + separator.length + stripAnsi(item).length <= width) {
      lines[lines.length - 1] = `${last}${separator}${item}`;
    } else lines.push(stripAnsi(item).length > width ? truncate(stripAnsi(item), width) : item);
  }
  return lines;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
