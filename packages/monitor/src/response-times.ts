import { checkDuration, checkInteger } from '@startup/core/plugin-kit';
import { percentile } from './median.js';

/** Rolling figures of a response-time window, in milliseconds. */
export interface ResponseTimeSummary {
  /** Samples in the window. */
  count: number;
  avgMs?: number;
  p95Ms?: number;
  maxMs?: number;
  /** The newest sample. */
  lastMs?: number;
}

/** A bounded window of response times. */
export interface ResponseTimeWindow {
  /** Adds a sample in milliseconds (the oldest is dropped when the window is full). */
  record(ms: number): void;
  summary(): ResponseTimeSummary;
}

/**
 * A rolling window of the last `size` response times (defaults to 100), for the average and p95
 * (nearest rank) of health checks.
 * @example const w = responseTimes(); w.record(health.durationMs); w.summary().p95Ms
 */
export function responseTimes(options: { size?: number } = {}): ResponseTimeWindow {
  const size = checkInteger('size', options.size, 100);
  const samples: number[] = [];
  let next = 0;
  let last: number | undefined;
  return {
    record(ms) {
      checkDuration('ms', ms, 0);
      last = ms;
      if (samples.length < size) samples.push(ms);
      else samples[next] = ms;
      next = (next + 1) % size;
    },
    summary() {
      const s: ResponseTimeSummary = { count: samples.length };
      if (samples.length === 0) return s;
      s.avgMs = samples.reduce((a, b) => a + b, 0) / samples.length;
      s.p95Ms = percentile(samples, 95)!;
      s.maxMs = Math.max(...samples);
      s.lastMs = last!;
      return s;
    },
  };
}
