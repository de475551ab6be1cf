import fc from 'fast-check';

/**
 * Any value a configuration might carry by mistake or malice: edge numbers, numeric strings, empty and
 * odd strings, wrong types, nested objects, symbols, bigints, functions.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    -1,
    1,
    0.5,
    2 ** 31,
    2 ** 53,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    '',
    ' ',
    '10',
    '1e3',
    'NaN',
    'Infinity',
    'false',
    '__proto__',
    true,
    false,
    [],
    {},
    Symbol('hostile'),
    10n,
    () => 'a function',
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);

/** A value that is either hostile or, half the time, drawn from `valid`. */
export function maybe<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(valid as fc.Arbitrary<unknown>, hostileValue);
}

/** A small positive duration in milliseconds, valid for any timeout option. */
export const validMs = fc.integer({ min: 1, max: 2_000 });

/** Core's retry options, each field hostile or plausible. */
export const retryOptions = maybe(
  fc.record(
    {
      maxAttempts: maybe(fc.integer({ min: 1, max: 5 })),
      maxElapsedMs: maybe(validMs),
      initialDelayMs: maybe(fc.integer({ min: 0, max: 50 })),
      multiplier: maybe(fc.double({ min: 1, max: 3, noNaN: true })),
      maxDelayMs: maybe(fc.integer({ min: 50, max: 100 })),
      jitter: maybe(
        fc.oneof(
          fc.constantFrom('none', 'full', 'equal', 'decorrelated'),
          fc.record({ proportional: maybe(fc.double({ min: 0, max: 1, noNaN: true })) }),
          fc.record({ additiveMs: maybe(validMs) }),
        ),
      ),
      retryable: maybe(fc.constant(() => true)),
    },
    { requiredKeys: [] },
  ),
);

/** Core's breaker options, each field hostile or plausible. */
export const breakerOptions = maybe(
  fc.record(
    {
      failureThreshold: maybe(fc.integer({ min: 1, max: 5 })),
      openMs: maybe(validMs),
      halfOpenMaxCalls: maybe(fc.integer({ min: 1, max: 3 })),
      successThreshold: maybe(fc.integer({ min: 1, max: 3 })),
    },
    { requiredKeys: [] },
  ),
);

/** A plugin's timeouts, each hostile or plausible. */
export const pluginTimeouts = maybe(
  fc.record(
    {
      attemptMs: maybe(validMs),
      pluginMs: maybe(validMs),
      closeMs: maybe(validMs),
      healthMs: maybe(validMs),
    },
    { requiredKeys: [] },
  ),
);

/** The plugin-level options every connector passes to core: retry, breaker, timeouts, optional. */
export const corePluginFields = {
  retry: fc.oneof(retryOptions, fc.constant(false)),
  breaker: breakerOptions,
  timeouts: pluginTimeouts,
  optional: maybe(fc.boolean()),
};
