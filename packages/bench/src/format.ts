import type { Summary } from './statistics.js';

/** `12.3` style: `digits` decimals, or fewer significant ones for large values. */
export function num(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '–' : '∞';
  const abs = Math.abs(value);
  const places = abs >= 1000 ? 0 : abs >= 100 ? Math.min(digits, 1) : digits;
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

/** `median (min–max)`, each with `digits` decimals, and an optional unit after the median. */
export function spread(summary: Summary, digits = 1, unit = ''): string {
  if (summary.n === 0) return '–';
  if (summary.n === 1) return `${num(summary.median, digits)}${unit}`;
  return `${num(summary.median, digits)}${unit} (${num(summary.min, digits)}–${num(summary.max, digits)})`;
}

/** `×1.02`: a ratio. */
export function ratio(value: number, digits = 2): string {
  return Number.isFinite(value) ? `×${num(value, digits)}` : '–';
}

/** ✅ or ❌ followed by a word. */
export function verdict(met: boolean): string {
  return met ? '✅ met' : '❌ not met';
}
