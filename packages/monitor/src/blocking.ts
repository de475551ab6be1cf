import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Clock, type Disposer, systemClock } from '@startup/core';
import { checkDuration } from '@startup/core/plugin-kit';
import type { StartupEventSource } from './event-source.js';

/** Options of {@link monitorBlocking}. */
export interface BlockingOptions {
  /** Time source and timers. Defaults to core's `systemClock` (unref'd timers). */
  clock?: Clock;
  /** How often the event loop is sampled, in milliseconds. Defaults to 10. */
  intervalMs?: number;
  /** A sample late by at least this many milliseconds counts as blocking. Defaults to 20. */
  thresholdMs?: number;
  /** Also run `perf_hooks.monitorEventLoopDelay` and report its max and p99. Defaults to true. */
  histogram?: boolean;
}

/** One observed block of the event loop. Milliseconds since the monitor was created. */
export interface LoopBlock {
  /** When the block was observed to end. */
  atMs: number;
  durationMs: number;
  /** The plugins whose `init` attempts were running during it (their share is in `perPlugin`). */
  plugins: string[];
}

/** Event-loop blocking seen during a start. Milliseconds. */
export interface BlockingReport {
  /** Sum of every block. */
  totalMs: number;
  /** Blocking attributed to each plugin (only plugins with some). */
  perPlugin: Record<string, number>;
  blocks: LoopBlock[];
  /** Largest event-loop delay `perf_hooks` measured, when the histogram ran and sampled. */
  maxDelayMs?: number;
  /** 99th percentile event-loop delay from `perf_hooks`, likewise. */
  p99DelayMs?: number;
}

/** A running blocking monitor. */
export interface BlockingMonitor {
  /** What was seen so far. */
  report(): BlockingReport;
  /** Stops sampling and unsubscribes (idempotent); returns the final report. Done automatically when the start ends. */
  stop(): BlockingReport;
}

/**
 * Watches the event loop while a start runs and attributes each block to the plugins whose `init`
 * attempts were running when it happened (an attempt runs from 'plugin:attempt' to 'plugin:ready',
 * 'plugin:failed' or 'plugin:retry'). A block overlapping several attempts is shared among them in
 * proportion to their overlap, so a plugin that blocked synchronously gets nearly all of it.
 * Create it before `app.start()`; it stops itself on 'startup:ready' or 'startup:failed'.
 * @example const blocking = monitorBlocking(app); await app.start(); blocking.report().perPlugin
 */
export function monitorBlocking(app: StartupEventSource, options: BlockingOptions = {}): BlockingMonitor {
  const clock = options.clock ?? systemClock;
  const intervalMs = checkDuration('intervalMs', options.intervalMs, 10, { positive: true });
  const thresholdMs = checkDuration('thresholdMs', options.thresholdMs, 20, { positive: true });
  const origin = clock.now();
  const since = () => clock.now() - origin;
  const running = new Map<string, { from: number; to?: number }[]>();
  const blocks: LoopBlock[] = [];
  const perPlugin: Record<string, number> = {};
  let totalMs = 0;
  let stopped = false;
  let final: BlockingReport | undefined;
  const histogram = options.histogram === false ? undefined : monitorEventLoopDelay({ resolution: 10 });
  histogram?.enable();

  const open = (plugin: string) => {
    const list = running.get(plugin) ?? [];
    running.set(plugin, list);
    const last = list.at(-1);
    if (last && last.to === undefined) return;
    list.push({ from: since() });
  };
  const close = (plugin: string) => {
    const last = running.get(plugin)?.at(-1);
    if (last && last.to === undefined) last.to = since();
  };

  const attribute = (from: number, to: number, durationMs: number) => {
    const overlaps: [string, number][] = [];
    for (const [plugin, intervals] of running) {
      let overlap = 0;
      for (const i of intervals) overlap += Math.max(0, Math.min(to, i.to ?? to) - Math.max(from, i.from));
      if (overlap > 0) overlaps.push([plugin, overlap]);
    }
    const sum = overlaps.reduce((s, [, o]) => s + o, 0);
    for (const [plugin, overlap] of overlaps)
      perPlugin[plugin] = (perPlugin[plugin] ?? 0) + (durationMs * overlap) / sum;
    blocks.push({ atMs: to, durationMs, plugins: overlaps.map(([p]) => p) });
    totalMs += durationMs;
  };

  let last = since();
  let timer: unknown;
  const tick = () => {
    const now = since();
    const lag = now - last - intervalMs;
    last = now;
    if (lag >= thresholdMs) attribute(now - lag, now, lag);
    if (!stopped) timer = clock.setTimeout(tick, intervalMs);
  };
  timer = clock.setTimeout(tick, intervalMs);

  const disposers: Disposer[] = [
    app.on('plugin:attempt', (e) => open(e.plugin)),
    app.on('plugin:retry', (e) => close(e.plugin)),
    app.on('plugin:ready', (e) => close(e.plugin)),
    app.on('plugin:failed', (e) => close(e.plugin)),
    app.on('startup:ready', () => stop()),
    app.on('startup:failed', () => stop()),
  ];

  const report = (): BlockingReport => {
    if (final) return final;
    const r: BlockingReport = { totalMs, perPlugin: { ...perPlugin }, blocks: blocks.map((b) => ({ ...b })) };
    if (histogram && histogram.count > 0) {
      r.maxDelayMs = histogram.max / 1e6;
      r.p99DelayMs = histogram.percentile(99) / 1e6;
    }
    return r;
  };
  const stop = (): BlockingReport => {
    if (final) return final;
    stopped = true;
    clock.clearTimeout(timer);
    // The last partial interval may hold a block that has not been sampled yet.
    tick();
    for (const dispose of disposers) dispose();
    final = report();
    histogram?.disable();
    return final;
  };
  return { report, stop };
}
