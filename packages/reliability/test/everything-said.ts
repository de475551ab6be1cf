import { describeError, type Startup, type StartupEvents } from '@startup/core';

/** Every event of the runner, so that nothing an application can subscribe to escapes the search. */
const eventNames: Array<keyof StartupEvents> = [
  'plugin:start',
  'plugin:attempt',
  'plugin:retry',
  'plugin:step',
  'plugin:ready',
  'plugin:failed',
  'plugin:skipped',
  'plugin:down',
  'plugin:up',
  'breaker:state',
  'startup:ready',
  'startup:failed',
  'shutdown:start',
  'shutdown:plugin',
  'shutdown:complete',
  'health',
];

/**
 * Everything an application built on the runner can see: each event (health results included), the
 * report, and every error thrown at it, as text. `log` lines (from a recording logger) are added by the
 * caller. Start recording before `start()`.
 */
export interface EverythingSaid {
  /** Records a thrown error: message, stack, JSON, each failure and its cause. */
  error(error: unknown): void;
  /** Everything recorded so far, plus the report now. */
  texts(): string[];
}

/** Subscribes to every event of `app`. */
export function recordEverything(app: Startup<unknown>): EverythingSaid {
  const texts: string[] = [];
  for (const name of eventNames) app.on(name, (payload) => texts.push(`${name} ${JSON.stringify(payload)}`));
  const error = (thrown: unknown, depth = 0): void => {
    if (depth > 3 || thrown === undefined) return;
    texts.push(JSON.stringify(describeError(thrown)));
    if (thrown instanceof Error) {
      texts.push(thrown.message, String(thrown.stack), JSON.stringify(thrown));
      error(thrown.cause, depth + 1);
      const failures = (thrown as { failures?: unknown }).failures;
      if (Array.isArray(failures)) for (const failure of failures) error(failure, depth + 1);
    } else {
      texts.push(String(thrown));
    }
  };
  return {
    error,
    texts: () => [...texts, JSON.stringify(app.report())],
  };
}
