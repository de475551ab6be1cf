import type { PluginStatus, StartupStatus } from '@startup/core';

/** What is wrong with a value that should be a history entry: the first field found wrong. */
export interface ShapeProblem {
  /** Where, e.g. `entry.report.plugins[1].attempts`. */
  path: string;
  /** What it should be, e.g. `an array`. */
  expected: string;
  value: unknown;
}

type Check = (value: unknown, path: string) => ShapeProblem | undefined;

const is =
  (expected: string, test: (value: unknown) => boolean): Check =>
  (value, path) =>
    test(value) ? undefined : { path, expected, value };

const text = is('a string', (v) => typeof v === 'string');
const flag = is('a boolean', (v) => typeof v === 'boolean');
const time = is(
  'a time in milliseconds (a finite number ≥ 0)',
  (v) => typeof v === 'number' && v >= 0 && v < Infinity,
);
const count = is('a positive integer', (v) => Number.isSafeInteger(v) && (v as number) > 0);
const tally = is('an integer ≥ 0', (v) => Number.isSafeInteger(v) && (v as number) >= 0);
const date = is('an ISO 8601 date', (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)));
const oneOf = (values: readonly string[]) =>
  is(`one of ${values.join(', ')}`, (v) => typeof v === 'string' && values.includes(v));

const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);

const listOf =
  (check: Check): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return { path, expected: 'an array', value };
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const record =
  (fields: Record<string, Check>): Check =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { path, expected: 'an object', value };
    }
    for (const [key, check] of Object.entries(fields)) {
      const problem = check((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const pluginStatuses: readonly PluginStatus[] = [
  'pending',
  'starting',
  'ready',
  'failed',
  'skipped',
  'aborted',
];
const startupStatuses: readonly StartupStatus[] = ['starting', 'ready', 'degraded', 'failed', 'aborted'];

const mapOf =
  (check: Check): Check =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { path, expected: 'an object', value };
    }
    for (const [key, item] of Object.entries(value)) {
      const problem = check(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const errorInfo = record({
  name: text,
  message: text,
  code: optional(text),
  plugin: optional(text),
  cause: optional(text),
});

const attempt = record({
  attempt: count,
  startMs: time,
  endMs: optional(time),
  delayMs: optional(time),
  waitedMs: optional(time),
  error: optional(errorInfo),
});

const step = record({
  name: text,
  attempt: count,
  startMs: time,
  endMs: optional(time),
  error: optional(errorInfo),
});

const plugin = record({
  name: text,
  dependsOn: listOf(text),
  optional: flag,
  status: oneOf(pluginStatuses),
  queuedMs: time,
  depsReadyMs: optional(time),
  readyMs: optional(time),
  endMs: optional(time),
  durationMs: optional(time),
  attempts: listOf(attempt),
  steps: listOf(step),
  error: optional(errorInfo),
  skippedBecause: optional(text),
});

const reportFields = record({
  status: oneOf(startupStatuses),
  startedAt: text,
  wallMs: time,
  sumMs: time,
  criticalPath: listOf(text),
  criticalPathEndMs: optional(time),
  criticalPathMs: optional(time),
  plugins: listOf(plugin),
  error: optional(errorInfo),
});

// Entries written before criticalPathEndMs existed carry only its old name, criticalPathMs: either will do.
const report: Check = (value, path) => {
  const problem = reportFields(value, path);
  if (problem) return problem;
  const { criticalPathEndMs, criticalPathMs } = value as Record<string, unknown>;
  return criticalPathEndMs === undefined && criticalPathMs === undefined
    ? time(undefined, `${path}.criticalPathEndMs`)
    : undefined;
};

const prediction = record({ wallMs: time, basedOn: time, plugins: mapOf(time) });

const pool = record({
  plugin: text,
  peakInUse: tally,
  peakWaiting: tally,
  max: optional(count),
  checks: count,
});

const entry = record({
  recordedAt: date,
  service: optional(text),
  instance: optional(text),
  variant: optional(text),
  prediction: optional(prediction),
  pools: optional(listOf(pool)),
  report,
});

/**
 * The first field of `value` that is not what a history entry holds, or `undefined` for a valid entry:
 * every field the analysis, the trend and the pictures read is checked, down to each attempt and step.
 */
export function entryProblem(value: unknown): ShapeProblem | undefined {
  return entry(value, 'entry');
}
