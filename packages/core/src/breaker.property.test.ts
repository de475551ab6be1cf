import { createTestClock } from '@startup/test-kit/clock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BreakerState, createBreaker } from './breaker.js';

type Step =
  | { kind: 'ok' }
  | { kind: 'fail' }
  | { kind: 'advance'; ms: number }
  | { kind: 'read' }
  | { kind: 'recordSuccess' }
  | { kind: 'recordFailure' }
  | { kind: 'reset' };

const settings = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 5 }),
  openMs: fc.integer({ min: 0, max: 5_000 }),
  successThreshold: fc.integer({ min: 1, max: 3 }),
  halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
});

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'ok' } as const) },
  { weight: 4, arbitrary: fc.constant({ kind: 'fail' } as const) },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: 3_000 }).map((ms) => ({ kind: 'advance', ms }) as const),
  },
  { weight: 1, arbitrary: fc.constantFrom<Step>({ kind: 'read' }, { kind: 'recordSuccess' }) },
  { weight: 1, arbitrary: fc.constantFrom<Step>({ kind: 'recordFailure' }, { kind: 'reset' }) },
);

/** The breaker as the documentation describes it, one call at a time. */
function model(p: { failureThreshold: number; openMs: number; successThreshold: number }) {
  const m = { state: 'CLOSED' as BreakerState, failures: 0, successes: 0, openedAt: 0, now: 0 };
  const transitions: string[] = [];
  const go = (to: BreakerState) => {
    if (m.state === to) return;
    transitions.push(`${m.state}>${to}`);
    m.state = to;
    m.successes = 0;
    if (to === 'OPEN') m.openedAt = m.now;
    if (to === 'CLOSED') m.failures = 0;
  };
  const tick = () => {
    if (m.state === 'OPEN' && m.now - m.openedAt >= p.openMs) go('HALF_OPEN');
  };
  const success = () => {
    tick();
    if (m.state === 'CLOSED') m.failures = 0;
    else if (m.state === 'HALF_OPEN' && ++m.successes >= p.successThreshold) go('CLOSED');
  };
  const failure = () => {
    tick();
    if (m.state === 'HALF_OPEN') go('OPEN');
    else if (m.state === 'CLOSED' && ++m.failures >= p.failureThreshold) go('OPEN');
  };
  /** `true` when a call is let through. */
  const admit = () => {
    tick();
    return m.state !== 'OPEN';
  };
  const snapshot = () => {
    tick();
    const retryInMs = m.state === 'OPEN' ? p.openMs - (m.now - m.openedAt) : 0;
    return { state: m.state, failures: m.failures, retryInMs };
  };
  const reset = () => {
    go('CLOSED');
    m.failures = 0;
  };
  return { m, transitions, success, failure, admit, snapshot, reset };
}

describe('circuit breaker (property)', () => {
  // 500 random sequences of up to 60 steps (80 below, each awaiting a real setImmediate): 1.5–2 s each alone,
  // three times that on a loaded machine, which the default 5 s did not allow for.
  it('behaves like the reference model on random sequences of calls and time', {
    timeout: 30_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        settings,
        fc.array(step, { maxLength: 60, size: 'medium' }),
        async (options, steps) => {
          const clock = createTestClock();
          const breaker = createBreaker({ ...options, clock });
          const transitions: string[] = [];
          breaker.onStateChange(({ from, to }) => transitions.push(`${from}>${to}`));
          const ref = model(options);
          for (const s of steps) {
            if (s.kind === 'advance') {
              clock.advance(s.ms);
              ref.m.now += s.ms;
            } else if (s.kind === 'ok' || s.kind === 'fail') {
              let called = false;
              const outcome = await breaker
                .execute(async () => {
                  called = true;
                  if (s.kind === 'fail') throw new Error('down');
                  return 'up';
                })
                .then(
                  () => 'ok',
                  (error: { code?: string }) =>
                    error.code === 'STARTUP_ERR_BREAKER_OPEN' ? 'rejected' : 'failed',
                );
              const admitted = ref.admit();
              expect(called).toBe(admitted);
              if (admitted && s.kind === 'ok') ref.success();
              if (admitted && s.kind === 'fail') ref.failure();
              expect(outcome).toBe(admitted ? (s.kind === 'ok' ? 'ok' : 'failed') : 'rejected');
            } else if (s.kind === 'recordSuccess') {
              breaker.recordSuccess();
              ref.success();
            } else if (s.kind === 'recordFailure') {
              breaker.recordFailure();
              ref.failure();
            } else if (s.kind === 'reset') {
              breaker.reset();
              ref.reset();
            }
            const { since: _since, ...snapshot } = breaker.toJSON();
            expect(snapshot).toEqual(ref.snapshot());
            expect(transitions).toEqual(ref.transitions);
          }
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  type Action =
    | { kind: 'start' }
    | { kind: 'settle'; index: number; ok: boolean }
    | { kind: 'advance'; ms: number };
  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'start' } as const) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('settle' as const), index: fc.nat(), ok: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 3_000 }).map((ms) => ({ kind: 'advance', ms }) as const),
    },
  );

  // A low threshold and a short open period, so random sequences often reach HALF_OPEN while calls
  // admitted earlier are still in flight.
  const quickSettings = settings.map((s) => ({
    ...s,
    failureThreshold: 1 + ((s.failureThreshold - 1) % 2),
    openMs: s.openMs % 500,
  }));

  it('never runs more than halfOpenMaxCalls trials of one HALF_OPEN period, and closes only on its own trials', {
    timeout: 30_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        quickSettings,
        fc.array(action, { maxLength: 80, size: 'medium' }),
        async (options, actions) => {
          const clock = createTestClock();
          const breaker = createBreaker({ ...options, clock });
          let period = 0;
          let halfOpen = false;
          const calls: { period: number | undefined; settle: (ok: boolean) => void; done: boolean }[] = [];
          const successesIn = new Map<number, number>();
          // Listener errors are swallowed by the breaker, so record violations and assert after each step.
          const closedEarly: number[] = [];
          breaker.onStateChange(({ from, to }) => {
            halfOpen = to === 'HALF_OPEN';
            if (to === 'HALF_OPEN') period++;
            if (
              from === 'HALF_OPEN' &&
              to === 'CLOSED' &&
              (successesIn.get(period) ?? 0) < options.successThreshold
            ) {
              closedEarly.push(period);
            }
          });
          for (const a of actions) {
            if (a.kind === 'advance') clock.advance(a.ms);
            else if (a.kind === 'start') {
              breaker
                .execute(
                  () =>
                    new Promise<void>((resolve, reject) => {
                      const call = {
                        period: halfOpen ? period : undefined,
                        done: false,
                        settle: (_: boolean) => {},
                      };
                      call.settle = (ok) => {
                        call.done = true;
                        if (ok && call.period !== undefined) {
                          successesIn.set(call.period, (successesIn.get(call.period) ?? 0) + 1);
                        }
                        if (ok) resolve();
                        else reject(new Error('down'));
                      };
                      calls.push(call);
                    }),
                )
                .catch(() => {});
            } else {
              const open = calls.filter((c) => !c.done);
              open[a.index % Math.max(1, open.length)]?.settle(a.ok);
            }
            await clock.flush();
            expect(closedEarly).toEqual([]);
            if (halfOpen) {
              const running = calls.filter((c) => !c.done && c.period === period).length;
              expect(running).toBeLessThanOrEqual(options.halfOpenMaxCalls);
            }
          }
        },
      ),
      {
        numRuns: 500,
      },
    );
  });
});
