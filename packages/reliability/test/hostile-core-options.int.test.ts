import { type AnyPlugin, createStartup, definePlugin, isStartupError } from '@startup/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crashIn, within } from './crash-in.js';
import {
  breakerOptions,
  hostileValue,
  maybe,
  pluginTimeouts,
  retryOptions,
  validMs,
} from './hostile-values.js';
import { rejectionProblem } from './named-field.js';

// createStartup(plugins, options) with hostile plugin lists and options: every input is either accepted
// (and then starts and stops without a crash or a hang) or rejected at once with a coded StartupError
// naming the field.

const graphCodes = [
  'STARTUP_ERR_DUPLICATE_PLUGIN',
  'STARTUP_ERR_UNKNOWN_DEPENDENCY',
  'STARTUP_ERR_DEPENDENCY_CYCLE',
];
const names = fc.constantFrom('a', 'b', 'c');

/** A plugin with hostile fields whose `init` runs `init` (resolving at once unless told otherwise). */
const plugin = (init: (ctx: { attempt: number }) => unknown) =>
  fc.record(
    {
      name: maybe(names),
      dependsOn: maybe(fc.array(names, { maxLength: 3 })),
      optional: maybe(fc.boolean()),
      init: maybe(fc.constant(init)),
      close: maybe(fc.constant(() => {})),
      healthCheck: maybe(fc.constant(() => ({ ok: true }))),
      retry: fc.oneof(retryOptions, fc.constant(false)),
      breaker: breakerOptions,
      timeouts: pluginTimeouts,
    },
    { requiredKeys: ['name', 'init'] },
  );

const runnerOptions = fc.record(
  {
    deadlineMs: maybe(fc.integer({ min: 1_000, max: 5_000 })),
    signal: maybe(fc.constant(new AbortController().signal)),
    clock: hostileValue,
    random: maybe(fc.constant(() => 0.5)),
    logger: maybe(fc.constant({ debug() {}, info() {}, warn() {}, error() {} })),
    defaults: maybe(
      fc.record(
        {
          retry: fc.oneof(retryOptions, fc.constant(false)),
          breaker: breakerOptions,
          attemptTimeoutMs: maybe(validMs),
          pluginTimeoutMs: maybe(validMs),
          closeTimeoutMs: maybe(validMs),
        },
        { requiredKeys: [] },
      ),
    ),
    health: maybe(fc.record({ timeoutMs: maybe(validMs), cacheMs: maybe(validMs) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

/**
 * Creates the application, or checks the rejection: a graph error, or `STARTUP_ERR_INVALID_OPTION` naming a
 * field of the options or of the plugin at fault. Returns the application when accepted.
 */
function createOrCheckRejection(plugins: readonly object[], options: unknown) {
  try {
    return createStartup(plugins as unknown as AnyPlugin[], options as never);
  } catch (error) {
    if (isStartupError(error) && graphCodes.includes(error.code)) return undefined;
    if (isStartupError(error) && /depends on optional/.test(error.message)) return undefined;
    const atFault = plugins.filter(
      (p) => (p as { name?: unknown }).name === (error as { plugin?: unknown }).plugin,
    );
    const root = { ...(typeof options === 'object' ? options : {}), plugins };
    expect(rejectionProblem(error, [root, ...atFault])).toBeUndefined();
    return undefined;
  }
}

/** Starts and stops an accepted application: each settles in time, and no failure hides a programming error. */
async function startAndStop(app: ReturnType<typeof createStartup>, withinMs: number) {
  const failure = await within(
    app.start().then(
      () => undefined,
      (error: unknown) => error,
    ),
    withinMs,
    'start()',
  );
  if (failure !== undefined) {
    expect(isStartupError(failure), String(failure)).toBe(true);
    expect(crashIn(failure)).toBeUndefined();
  }
  const stopFailure = await within(
    app.stop().then(
      () => undefined,
      (error: unknown) => error,
    ),
    withinMs,
    'stop()',
  );
  if (stopFailure !== undefined) {
    expect(isStartupError(stopFailure), String(stopFailure)).toBe(true);
    expect(crashIn(stopFailure)).toBeUndefined();
  }
}

describe('createStartup with hostile plugins and options', () => {
  it('accepts them, then starts and stops without a crash or a hang, or rejects them naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          plugin(() => ({ started: true })),
          { maxLength: 4 },
        ),
        maybe(runnerOptions),
        async (plugins, options) => {
          const app = createOrCheckRejection(plugins, options);
          if (app) await startAndStop(app, 3_000);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('retries a plugin that fails once with any accepted runner options, without a crash or a hang', async () => {
    const failsOnce = definePlugin({
      name: 'flaky',
      init: ({ attempt }) => {
        if (attempt === 1) throw new Error('the first attempt fails');
        return { started: true };
      },
    });
    await fc.assert(
      fc.asyncProperty(runnerOptions, hostileValue, hostileValue, async (options, random, logger) => {
        // The clock is the first property's; here retries run, so the random source and logger are used.
        // A 1 s deadline bounds whatever backoff the hostile retry settings ask for.
        const app = createOrCheckRejection([failsOnce], {
          ...options,
          clock: undefined,
          random,
          logger,
          deadlineMs: 1_000,
        });
        if (app) await startAndStop(app, 3_000);
      }),
      { numRuns: 100 },
    );
  });

  // Node's setTimeout turns any delay above 2^31 − 1 ms (24.8 days) into 1 ms.
  const beyondTimers = [2 ** 31, 1e12, Number.MAX_VALUE];
  const durationFields: Array<[string, (ms: number) => object, object]> = [
    ['deadlineMs', (ms) => ({ deadlineMs: ms }), {}],
    ['defaults.attemptTimeoutMs', (ms) => ({ defaults: { attemptTimeoutMs: ms } }), {}],
    ['defaults.pluginTimeoutMs', (ms) => ({ defaults: { pluginTimeoutMs: ms } }), {}],
    ['timeouts.attemptMs', () => ({}), { attemptMs: 0 }],
  ];
  for (const [field, asOption, asTimeouts] of durationFields) {
    it(`rejects a ${field} beyond what a timer can wait, or honours it`, async () => {
      for (const ms of beyondTimers) {
        const timeouts = 'attemptMs' in asTimeouts ? { attemptMs: ms } : undefined;
        const slow = definePlugin({
          name: 'slow',
          init: () => new Promise((resolve) => setTimeout(() => resolve('ready'), 30)),
          retry: false,
          ...(timeouts ? { timeouts } : {}),
        });
        let app: ReturnType<typeof createStartup>;
        try {
          app = createStartup([slow], asOption(ms));
        } catch (error) {
          expect(error).toMatchObject({ code: 'STARTUP_ERR_INVALID_OPTION' });
          expect((error as Error).message).toContain(`"${field}"`);
          continue;
        }
        const outcome = await app.start().then(
          () => 'ready',
          (error: { code?: string }) => error.code,
        );
        await app.stop();
        expect({ [field]: ms, outcome }).toEqual({ [field]: ms, outcome: 'ready' });
      }
    });
  }
});
