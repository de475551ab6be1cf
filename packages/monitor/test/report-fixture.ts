import type {
  AttemptReport,
  PluginReport,
  PluginStatus,
  StartupReport,
  StartupStatus,
  StepReport,
} from '@startup/core';

/** A plugin of a synthetic report: its attempts run back to back from `startMs`, separated by `delaysMs`. */
export interface FakePluginSpec {
  dependsOn?: string[];
  optional?: boolean;
  /** Defaults to 'ready'. */
  status?: PluginStatus;
  queuedMs?: number;
  /** When init began (deps ready). Omit for a plugin that never began. */
  startMs?: number;
  /** Duration of each attempt; the last succeeds unless status is failed. Defaults to [0]. */
  attemptsMs?: number[];
  /** Backoff after each failed attempt. Defaults to 0 each. */
  delaysMs?: number[];
  /** Code of each failed attempt's error, cycled. Defaults to ['ECONNREFUSED']. */
  errorCodes?: string[];
  /** Steps, with times relative to the start of the start-up. */
  steps?: { name: string; startMs: number; endMs: number; attempt?: number; failed?: boolean }[];
  /** End time of a skipped or aborted plugin. */
  endMs?: number;
}

/** Builds a {@link PluginReport} the way the runner would fill it. */
export function fakePlugin(name: string, spec: FakePluginSpec = {}): PluginReport {
  const status = spec.status ?? 'ready';
  const attempts: AttemptReport[] = [];
  const steps: StepReport[] = (spec.steps ?? []).map((s) => ({
    name: s.name,
    attempt: s.attempt ?? 1,
    startMs: s.startMs,
    endMs: s.endMs,
    ...(s.failed ? { error: { name: 'Error', message: 'step failed' } } : {}),
  }));
  const p: PluginReport = {
    name,
    dependsOn: spec.dependsOn ?? [],
    optional: spec.optional ?? false,
    status,
    queuedMs: spec.queuedMs ?? 0,
    attempts,
    steps,
  };
  if (spec.startMs === undefined) {
    if (spec.endMs !== undefined) p.endMs = spec.endMs;
    return p;
  }
  p.depsReadyMs = spec.startMs;
  const durations = spec.attemptsMs ?? [0];
  const codes = spec.errorCodes ?? ['ECONNREFUSED'];
  let t = spec.startMs;
  durations.forEach((d, i) => {
    const last = i === durations.length - 1;
    const a: AttemptReport = { attempt: i + 1, startMs: t };
    if (status !== 'starting' || !last) a.endMs = t + d;
    t += d;
    if (!last || status === 'failed') {
      const code = codes[i % codes.length]!;
      a.error = { name: 'Error', code, message: `attempt ${i + 1} failed (${code})` };
    }
    if (!last) {
      a.delayMs = spec.delaysMs?.[i] ?? 0;
      t += a.delayMs;
    }
    attempts.push(a);
  });
  if (status === 'ready') p.readyMs = t;
  else if (status !== 'starting') p.endMs = spec.endMs ?? t;
  if (status !== 'starting') p.durationMs = (p.readyMs ?? p.endMs!) - spec.startMs;
  if (status === 'failed') p.error = attempts.at(-1)!.error!;
  return p;
}

/** A synthetic {@link StartupReport}: wall time is the last plugin's end unless given. */
export function fakeReport(
  plugins: PluginReport[],
  options: { status?: StartupStatus; wallMs?: number; startedAt?: string } = {},
): StartupReport {
  const ends = plugins.map((p) => p.readyMs ?? p.endMs ?? 0);
  const wallMs = options.wallMs ?? Math.max(0, ...ends);
  return {
    version: 1,
    status:
      options.status ?? (plugins.some((p) => p.status === 'failed' && !p.optional) ? 'failed' : 'ready'),
    startedAt: options.startedAt ?? '2025-01-01T00:00:00.000Z',
    wallMs,
    sumMs: plugins.reduce((s, p) => s + (p.durationMs ?? 0), 0),
    criticalPath: [],
    criticalPathEndMs: wallMs,
    criticalPathMs: wallMs,
    plugins,
  };
}
