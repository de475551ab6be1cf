import { checkInteger } from '@startup/core/plugin-kit';
import { formatMs } from './format.js';
import { formatChange } from './format-change.js';
import { type GradeThresholds, originGrades, startGrade } from './grade.js';
import type { HistoryEntry } from './history-store.js';
import { printableEntry } from './printable.js';
import { type Paint, painter, supportsColor } from './terminal-color.js';
import { type TrendResult, trend } from './trend.js';

/** Options of {@link trendChart}. */
export interface TrendChartOptions {
  /** Starts shown, newest last. Defaults to 20. */
  last?: number;
  /** Completed starts before each one that make its baseline (their median). Defaults to 10. */
  baselineWindow?: number;
  /** More than this many percent over its baseline is a regression. Defaults to 20. */
  regressionPercent?: number;
  /**
   * Show only this instance's starts, each against the fleet baseline before it (the completed starts of every
   * instance). Defaults to every start.
   */
  instance?: string;
  /** Grade thresholds of the grade column. Defaults to `originGrades`. */
  grades?: GradeThresholds;
  /** Width in columns; at least 50. Defaults to 80. */
  width?: number;
  /** ANSI colours. Defaults to {@link supportsColor} of `process.stdout`. */
  color?: boolean;
}

/**
 * A text chart of the wall time of the last starts of a history (oldest first, as a store lists it):
 * one bar per start with its time and grade, the current baseline (median of the completed starts before
 * the newest) drawn as a vertical line, each start that was a regression against its own baseline marked
 * `▲` with its change, failed starts marked `✗` and graded F. Pass the whole history, not only the starts
 * to show: earlier starts make the baselines. Control characters in the entries are shown as pictures.
 */
export function trendChart(history: readonly HistoryEntry[], options: TrendChartOptions = {}): string {
  const entries = history.map(printableEntry);
  const last = checkInteger('last', options.last, 20);
  const width = checkInteger('width', options.width, 80, { min: 50 });
  const trendOptions = {
    ...(options.baselineWindow === undefined ? {} : { baselineWindow: options.baselineWindow }),
    ...(options.regressionPercent === undefined ? {} : { regressionPercent: options.regressionPercent }),
  };
  const instance = options.instance;
  const overall = trend(entries, { ...trendOptions, ...(instance === undefined ? {} : { instance }) });
  // Positions (in the whole history) of the starts shown.
  const shown = entries.flatMap((e, i) => (instance === undefined || e.instance === instance ? [i] : []));
  if (shown.length === 0)
    return instance === undefined ? 'No starts recorded.\n' : 'No starts of that instance.\n';
  const paint = painter(options.color ?? supportsColor());
  const thresholds = options.grades ?? originGrades;
  const rows = shown.slice(-last).map((position) => {
    const entry = entries[position]!;
    const t = trend(entries.slice(0, position + 1), trendOptions);
    const change = t.changePercent === undefined ? '' : formatChange(t.changePercent);
    const failed = entry.report.status === 'failed' || entry.report.status === 'aborted';
    const note = failed ? `✗ ${entry.report.status}` : t.regression ? `▲ ${change}` : change;
    return {
      entry,
      index: position + 1,
      failed,
      regression: t.regression,
      note,
      wall: formatMs(entry.report.wallMs),
    };
  });
  const baselineMs = overall.baselineMs;
  const maxMs = Math.max(...rows.map((r) => r.entry.report.wallMs), baselineMs ?? 0) || 1;
  const indexWidth = String(entries.length).length;
  const noteWidth = Math.max(0, ...rows.map((r) => r.note.length));
  const wallWidth = Math.max(...rows.map((r) => r.wall.length));
  // Narrow charts show the date as MM-DD HH:MM.
  const dateWidth = width < 70 ? 11 : 19;
  const prefix = indexWidth + 2 + dateWidth + 2 + 1 + 2;
  const barWidth = Math.max(10, width - prefix - 2 - wallWidth - 2 - noteWidth);
  const column = (ms: number) => Math.min(barWidth - 1, Math.round((ms / maxMs) * (barWidth - 1)));
  const baseColumn = baselineMs === undefined ? undefined : column(baselineMs);

  const percent = overall.regressionPercent;
  const of = instance === undefined ? '' : ` of instance ${instance}`;
  const lines = [
    paint(
      shown.length === 1
        ? `Wall time of the only start${of}`
        : rows.length === 1
          ? `Wall time of the newest of ${shown.length} starts${of}`
          : `Wall time of the last ${rows.length} of ${shown.length} starts${of}`,
      'bold',
    ),
    baselineMs === undefined
      ? 'No baseline yet: it needs a completed start before the newest.'
      : `│ baseline ${formatMs(baselineMs)}: ${overall.baselineSize === 1 ? 'the one completed start' : `median of the ${overall.baselineSize} completed starts`} before the newest${overall.baselineInstances.length > 1 ? `, of ${overall.baselineInstances.length} instances` : ''}`,
    `▲ more than ${percent} % over the median of the completed starts before it · ✗ failed (graded F)`,
    '',
  ];
  for (const row of rows) {
    const length = row.entry.report.wallMs <= 0 ? 0 : Math.max(1, column(row.entry.report.wallMs) + 1);
    let bar = '';
    for (let c = 0; c < barWidth; c++) {
      if (c === baseColumn) bar += paint(c < length ? '┃' : '│', 'cyan');
      else if (c < length) bar += paint('█', row.failed ? 'red' : row.regression ? 'yellow' : 'green');
      else bar += ' ';
    }
    const date = row.entry.recordedAt.replace('T', ' ');
    const when = (dateWidth === 19 ? date.slice(0, 19) : date.slice(5, 16)).padEnd(dateWidth);
    const letter = startGrade(row.entry.report.status, row.entry.report.wallMs, thresholds).grade;
    const note = row.failed || row.regression ? paint(row.note, row.failed ? 'red' : 'yellow') : row.note;
    const index = String(row.index).padStart(indexWidth);
    lines.push(`${index}  ${when}  ${letter}  ${bar}  ${row.wall.padStart(wallWidth)}  ${note}`.trimEnd());
  }
  if (baseColumn !== undefined && baselineMs !== undefined) {
    lines.push(`${' '.repeat(prefix + baseColumn)}${paint('└', 'cyan')} baseline ${formatMs(baselineMs)}`);
  }
  lines.push('', closing(overall, paint));
  return `${lines.join('\n')}\n`;
}

function closing(t: TrendResult, paint: Paint): string {
  if (t.latest === undefined) return '';
  if (t.latest.status === 'failed' || t.latest.status === 'aborted')
    return paint('Newest start failed.', 'red');
  if (t.changePercent === undefined) return 'Newest start has no baseline to compare with.';
  const change = formatChange(t.changePercent);
  if (t.regression) return paint(`Newest start is a regression: ${change} over the baseline.`, 'yellow');
  if (t.changePercent < -t.regressionPercent)
    return paint(`Newest start is faster than the baseline: ${change}.`, 'green');
  return `Newest start is within ${t.regressionPercent} % of the baseline (${change}).`;
}
