import { type Logger, type PluginContext, type ResourceContext, silentLogger } from '@startup/core';

/** What a hand-made context saw: steps run, runtime reports and log lines. */
export interface ContextRecord {
  steps: string[];
  downs: unknown[];
  ups: number;
  logs: string[];
}

/** Records every log line (message and fields) as text, to search it for secrets. */
function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A plugin context made by hand, as the runner would make it, for calling `init` directly. */
export function handMadeContext(signal: AbortSignal = new AbortController().signal): {
  ctx: PluginContext;
  record: ContextRecord;
} {
  const record: ContextRecord = { steps: [], downs: [], ups: 0, logs: [] };
  const ctx: PluginContext = {
    deps: {},
    signal,
    logger: recordingLogger(record.logs),
    attempt: 1,
    step: async (name, fn) => {
      record.steps.push(name);
      return fn();
    },
    runtime: {
      down: (error) => record.downs.push(error),
      up: () => {
        record.ups++;
      },
    },
  };
  return { ctx, record };
}

/** A close or health-check context bounded by `ms`. */
export function resourceContext(ms = 5_000): ResourceContext {
  return { signal: AbortSignal.timeout(ms), logger: silentLogger };
}
