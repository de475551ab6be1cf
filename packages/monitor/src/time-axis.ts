/** A time axis from 0 to {@link TimeAxis.endMs} with evenly spaced, round ticks. */
export interface TimeAxis {
  /** The end of the axis, in milliseconds: the span rounded up to a whole tick. */
  endMs: number;
  /** Milliseconds between two ticks: 1, 2, 2.5 or 5 times a power of ten. */
  stepMs: number;
  /** Tick positions in milliseconds, 0 and `endMs` included. */
  ticks: number[];
  /** `'s'` when the axis spans 10 s or more, else `'ms'`. */
  unit: 'ms' | 's';
}

/**
 * An axis covering `spanMs` with at most `maxTicks` intervals (at least 1) of 1, 2, 2.5 or 5 × 10ⁿ ms.
 * A span of 0 (or less) gets an axis of 1 ms, so every picture has a scale.
 */
export function timeAxis(spanMs: number, maxTicks: number): TimeAxis {
  const span = Number.isFinite(spanMs) && spanMs > 0 ? spanMs : 1;
  const intervals = Math.max(1, Math.floor(maxTicks));
  const raw = span / intervals;
  const power = 10 ** Math.floor(Math.log10(raw));
  const stepMs = [1, 2, 2.5, 5, 10]
    .map((m) => m * power)
    .find((step) => step * intervals >= span * (1 - 1e-9))!;
  const count = Math.max(1, Math.ceil(span / stepMs - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, i) => round(i * stepMs));
  const endMs = ticks[ticks.length - 1]!;
  return { endMs, stepMs, ticks, unit: endMs >= 10_000 ? 's' : 'ms' };
}

/** A tick label without its unit: `250`, `0.5`, or `12` for 12 000 ms on a seconds axis. */
export function tickLabel(ms: number, unit: TimeAxis['unit']): string {
  const value = unit === 's' ? ms / 1000 : ms;
  return String(round(value));
}

// Multiples of 0.1 or 0.2 are not exact in binary; keep labels clean.
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
