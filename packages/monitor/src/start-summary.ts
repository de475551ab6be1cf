import { analyze } from './analyze.js';
import { formatMs, formatPercent } from './format.js';
import { formatChange } from './format-change.js';
import type { GradeThresholds } from './grade.js';
import type { HistoryEntry } from './history-store.js';
import { printableEntry } from './printable.js';
import { recommend, type Severity } from './recommend.js';
import { type Paint, painter, type Style, stripAnsi } from './terminal-color.js';
import { trend } from './trend.js';
import { waterfall } from './waterfall.js';

/** Options of {@link startSummary}. */
export interface StartSummaryOptions {
  /** Grade thresholds. Defaults to `originGrades`. */
  grades?: GradeThresholds;
  /** Completed starts before the newest that make its baseline. Defaults to 10. */
  baselineWindow?: number;
  /**
   * Summarise the newest start of this instance, against the fleet baseline (the completed starts before it of
   * every instance). Defaults to the newest start of any instance.
   */
  instance?: string;
  /** Width in columns. Defaults to 80. */
  width?: number;
  /** ANSI colours. Defaults to false. */
  color?: boolean;
}

const severityStyle: Record<Severity, Style> = {
  CRITICAL: 'red',
  WARNING: 'yellow',
  EFFICIENCY: 'magenta',
  EXCELLENT: 'green',
};

const sparks = '▁▂▃▄▅▆▇█';

/**
 * The newest start of a history (oldest first) in text: its waterfall, grade and efficiency, its
 * bottleneck, recommendations, and its trend against the starts before it. A failed or aborted start is
 * graded F (FAILED). Control characters in names and messages are shown as pictures (`␛`), never sent.
 */
export function startSummary(history: readonly HistoryEntry[], options: StartSummaryOptions = {}): string {
  const entries = history.map(printableEntry);
  const mine =
    options.instance === undefined ? entries : entries.filter((e) => e.instance === options.instance);
  const entry = mine.at(-1);
  if (!entry)
    return options.instance === undefined ? 'No starts recorded.\n' : 'No starts of that instance.\n';
  const paint = painter(options.color ?? false);
  const { report } = entry;
  const analysis = analyze(report, options.grades ? { grades: options.grades } : {});
  const lines: string[] = [];
  const width = options.width ?? 80;
  const service = [entry.service, entry.instance && `instance ${entry.instance}`]
    .filter(Boolean)
    .map((part) => `${part} · `)
    .join('');
  const which = mine.length === 1 ? 'the only start' : `newest of ${mine.length} starts`;
  for (const line of wrap(`${service}${which}, recorded ${entry.recordedAt}`, width, '', '')) {
    lines.push(paint(line, 'dim'));
  }
  lines.push('', waterfall(report, { width, color: options.color ?? false }).trimEnd(), '');

  const g = analysis.grade;
  const gradeStyle: Style = g.grade === 'A' || g.grade === 'B' ? 'green' : g.grade === 'F' ? 'red' : 'yellow';
  const efficiency = `parallel efficiency ${formatPercent(analysis.efficiency)} of the ${formatPercent(analysis.bestEfficiency)} this graph allows`;
  lines.push(
    ...wrap(`(${g.label}) · ${efficiency}`, width, `${paint(`Grade ${g.grade}`, 'bold', gradeStyle)} `, ''),
  );
  const top = analysis.bottlenecks[0];
  if (top) {
    const retries = top.retries === 1 ? '1 retry' : `${top.retries} retries`;
    const extra = top.retries > 0 ? `, ${retries}, ${formatMs(top.backoffMs)} backoff` : '';
    const step = top.slowestStep
      ? `; slowest step "${top.slowestStep.name}" ${formatMs(top.slowestStep.durationMs)}`
      : '';
    lines.push(
      ...wrap(
        `${top.plugin}, ${formatMs(top.ownMs)} of own work${extra}${step}`,
        width,
        'Bottleneck: ',
        '  ',
      ),
    );
  }

  const recommendations = recommend(analysis);
  if (recommendations.length > 0) {
    lines.push('', paint('Recommendations', 'bold'));
    const indent = ' '.repeat(13);
    for (const r of recommendations) {
      lines.push(
        ...wrap(r.message, width, `  ${paint(r.severity.padEnd(10), severityStyle[r.severity])} `, indent),
      );
      lines.push(...wrap(r.action, width, `${indent}→ `, `${indent}  `));
    }
  }
  lines.push('', paint('Trend', 'bold'), ...trendLines(entries, options, paint, width));
  return `${lines.join('\n')}\n`;
}

function trendLines(
  entries: readonly HistoryEntry[],
  options: StartSummaryOptions,
  paint: Paint,
  width: number,
): string[] {
  const t = trend(entries, {
    ...(options.baselineWindow === undefined ? {} : { baselineWindow: options.baselineWindow }),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
  });
  const mine =
    options.instance === undefined ? entries : entries.filter((e) => e.instance === options.instance);
  const recent = mine.slice(-30).map((e) => e.report.wallMs);
  const min = Math.min(...recent);
  const max = Math.max(...recent);
  // From the fastest (▁) to the slowest (█) of these starts, so small changes show.
  const level = (ms: number) => (max > min ? Math.min(7, Math.floor(((ms - min) / (max - min)) * 8)) : 3);
  const line = recent.map((ms) => sparks[level(ms)]).join('');
  const range =
    recent.length === 1
      ? `the only start, ${formatMs(min)}`
      : `last ${recent.length} starts, ${formatMs(min)} ▁ to ${formatMs(max)} █, newest right`;
  const out = wrap(`${line}  ${range}`, width, '  ', '  ');
  if (t.baselineMs === undefined || t.changePercent === undefined) {
    out.push('  No baseline yet: it needs a completed start before this one.');
    return out;
  }
  const { status } = t.latest!;
  if (status === 'failed' || status === 'aborted') {
    out.push(paint(`  The newest start ${status}: no comparison with the baseline.`, 'red'));
    return out;
  }
  const change = formatChange(t.changePercent);
  const verdict = t.regression
    ? paint(`▲ regression (more than ${t.regressionPercent} % over)`, 'yellow')
    : t.changePercent < -t.regressionPercent
      ? paint(`▼ faster (more than ${t.regressionPercent} % under)`, 'green')
      : `within ${t.regressionPercent} %`;
  const across = t.baselineInstances.length > 1 ? ` across ${t.baselineInstances.length} instances` : '';
  const median =
    t.baselineSize === 1
      ? 'the one completed start before'
      : `median of ${t.baselineSize} completed starts${across}`;
  const against = `${formatMs(t.latest!.wallMs)} against a baseline of ${formatMs(t.baselineMs)} (${median}): ${change},`;
  out.push(...wrap(`${against} ${verdict}`, width, '  ', '  '));
  for (const p of t.plugins) {
    if (p.latestMs === undefined || p.medianMs === undefined || p.changePercent === undefined) continue;
    const pc = formatChange(p.changePercent);
    const mark = p.regression ? paint(' ▲', 'yellow') : '';
    out.push(
      `    ${p.plugin.padEnd(14)} ${formatMs(p.latestMs).padStart(8)}  median ${formatMs(p.medianMs).padStart(8)}  ${pc}${mark}`,
    );
  }
  return out;
}

// Words of `text` in lines of at most `width` visible columns, the first after `first`, the rest after `rest`.
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && stripAnsi(`${line} ${word}`).length > width) {
      lines.push(line);
      line = `${rest}${word}`;
    } else line = empty ? `${line}${word}` : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}
