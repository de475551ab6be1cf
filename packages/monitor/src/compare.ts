import { checkNumber, invalidOption } from '@startup/core/plugin-kit';
import { formatMs } from './format.js';
import type { HistoryEntry } from './history-store.js';
import { type MannWhitneyResult, mannWhitneyU } from './mann-whitney.js';
import { median, percentile } from './median.js';

/** One arm of an A/B comparison: its completed starts' wall times. Milliseconds. */
export interface VariantSummary {
  variant: string;
  /** Completed starts (ready or degraded) recorded under this variant. */
  n: number;
  /** Starts of this variant that failed or were aborted (not in the timings). */
  failed: number;
  medianMs?: number;
  p95Ms?: number;
  /** Median `durationMs` of each plugin over the completed starts. */
  plugins: Record<string, number>;
  /** The wall times compared, oldest first. */
  wallMs: number[];
}

/** The result of {@link compareVariants}. */
export interface VariantComparison {
  a: VariantSummary;
  b: VariantSummary;
  /** Mann–Whitney U test of the wall times of `a` against `b`. */
  test: MannWhitneyResult;
  /** Median of `b` minus median of `a`, in milliseconds (negative: `b` starts faster). */
  differenceMs?: number;
}

/** Options of {@link compareVariants}. */
export interface CompareOptions {
  /** Significance level of the test, between 0 and 1 (exclusive). Defaults to 0.05. */
  alpha?: number;
  /** Only entries of this service. Defaults to all. */
  service?: string;
}

/**
 * Compares the starts recorded under two variant labels (`HistoryEntry.variant`): count, median and p95 of the
 * wall time, per-plugin medians, and a two-sided Mann–Whitney U test of the wall times, which asks no normal
 * distribution of start times and is not swayed by one slow outlier.
 */
export function compareVariants(
  entries: readonly HistoryEntry[],
  a: string,
  b: string,
  options: CompareOptions = {},
): VariantComparison {
  const alpha = checkNumber('alpha', options.alpha, 0.05, { min: Number.MIN_VALUE, max: 1 - Number.EPSILON });
  if (a === b) throw invalidOption('variants', 'two different variant labels', a);
  const scoped =
    options.service === undefined ? entries : entries.filter((e) => e.service === options.service);
  const sa = summarize(scoped, a);
  const sb = summarize(scoped, b);
  const comparison: VariantComparison = { a: sa, b: sb, test: mannWhitneyU(sa.wallMs, sb.wallMs, alpha) };
  if (sa.medianMs !== undefined && sb.medianMs !== undefined)
    comparison.differenceMs = sb.medianMs - sa.medianMs;
  return comparison;
}

/** The variant labels found in `entries`, each with its number of starts, in order of first appearance. */
export function variantsOf(entries: readonly HistoryEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries)
    if (e.variant !== undefined) counts.set(e.variant, (counts.get(e.variant) ?? 0) + 1);
  return counts;
}

function summarize(entries: readonly HistoryEntry[], variant: string): VariantSummary {
  const mine = entries.filter((e) => e.variant === variant);
  const completed = mine.filter((e) => e.report.status === 'ready' || e.report.status === 'degraded');
  const wallMs = completed.map((e) => e.report.wallMs);
  const durations = new Map<string, number[]>();
  for (const e of completed) {
    for (const p of e.report.plugins) {
      if (p.status !== 'ready' || p.durationMs === undefined) continue;
      const list = durations.get(p.name) ?? [];
      list.push(p.durationMs);
      durations.set(p.name, list);
    }
  }
  const summary: VariantSummary = {
    variant,
    n: completed.length,
    failed: mine.length - completed.length,
    plugins: Object.fromEntries([...durations].map(([name, list]) => [name, median(list)!])),
    wallMs,
  };
  const m = median(wallMs);
  const p95 = percentile(wallMs, 95);
  if (m !== undefined) summary.medianMs = m;
  if (p95 !== undefined) summary.p95Ms = p95;
  return summary;
}

/** `startup-monitor compare`'s text: both variants side by side, per-plugin medians, and the test's verdict. */
export function comparisonText(c: VariantComparison): string {
  const ms = (v: number | undefined) => (v === undefined ? '–' : formatMs(v));
  const rows: string[][] = [
    ['', c.a.variant, c.b.variant],
    ['starts', String(c.a.n), String(c.b.n)],
    ['failed', String(c.a.failed), String(c.b.failed)],
    ['median', ms(c.a.medianMs), ms(c.b.medianMs)],
    ['p95', ms(c.a.p95Ms), ms(c.b.p95Ms)],
  ];
  const names = [...new Set([...Object.keys(c.a.plugins), ...Object.keys(c.b.plugins)])];
  for (const name of names) rows.push([`  ${name}`, ms(c.a.plugins[name]), ms(c.b.plugins[name])]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`.trimEnd();
  const out = [`A/B comparison of start times: ${c.a.variant} vs ${c.b.variant}`, ''];
  out.push(...rows.slice(0, 5).map(line));
  if (names.length > 0) out.push('per plugin (median)', ...rows.slice(5).map(line));
  out.push('', verdict(c));
  return `${out.join('\n')}\n`;
}

/** One sentence: the difference of the medians, U, p and whether it is significant at the chosen level. */
export function verdict(c: VariantComparison): string {
  const { test } = c;
  const p = test.pValue < 0.0001 ? test.pValue.toExponential(1) : test.pValue.toFixed(4);
  const stats = `Mann–Whitney U = ${test.u}, p = ${p} (${test.method}), α = ${test.alpha}`;
  if (c.a.n === 0 || c.b.n === 0) {
    return `Not enough data: a variant has no completed start (${c.a.variant}: ${c.a.n}, ${c.b.variant}: ${c.b.n}).`;
  }
  const diff = c.differenceMs!;
  const direction =
    diff === 0
      ? 'the same median as'
      : `${formatMs(Math.abs(diff))} ${diff < 0 ? 'faster than' : 'slower than'}`;
  const significance = test.significant
    ? 'significant'
    : `not significant${c.a.n + c.b.n < 10 ? ' (few starts: record more)' : ''}`;
  return `${c.b.variant} is ${direction} ${c.a.variant} by median; ${significance}: ${stats}.`;
}
