import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBulkhead } from './bulkhead.js';

type Command =
  | { kind: 'submit' }
  | { kind: 'finish'; pick: number; fail: boolean }
  | { kind: 'abort'; pick: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'submit' } as const) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), fail: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
);

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('bulkhead (property)', () => {
  it('matches a FIFO model: never more than maxConcurrent running, a full queue rejects, nothing lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(command, { maxLength: 60 }),
        async (maxConcurrent, maxQueue, commands) => {
          const bulkhead = createBulkhead({ maxConcurrent, maxQueue });
          // The model: ids running and ids waiting, in order.
          const model = { running: [] as number[], queue: [] as number[] };
          const started: number[] = [];
          const outcome = new Map<number, string>();
          const finishers = new Map<number, (fail: boolean) => void>();
          const aborters = new Map<number, AbortController>();
          let next = 0;
          const promote = () => {
            while (model.running.length < maxConcurrent && model.queue.length > 0) {
              model.running.push(model.queue.shift()!);
            }
          };
          for (const c of commands) {
            if (c.kind === 'submit') {
              const id = next++;
              const controller = new AbortController();
              aborters.set(id, controller);
              const call = bulkhead.execute(() => {
                started.push(id);
                return new Promise<string>((resolve, reject) => {
                  finishers.set(id, (fail) => (fail ? reject(new Error('failed')) : resolve('ok')));
                });
              }, controller.signal);
              call.then(
                (v) => outcome.set(id, v),
                (e) => outcome.set(id, e.code ?? e.message),
              );
              if (model.running.length < maxConcurrent) model.running.push(id);
              else if (model.queue.length < maxQueue) model.queue.push(id);
              // Otherwise rejected: neither running nor waiting.
            } else if (c.kind === 'finish' && model.running.length > 0) {
              const id = model.running.splice(c.pick % model.running.length, 1)[0]!;
              finishers.get(id)!(c.fail);
              promote();
            } else if (c.kind === 'abort' && model.queue.length > 0) {
              const id = model.queue.splice(c.pick % model.queue.length, 1)[0]!;
              aborters.get(id)!.abort(new Error('aborted'));
            }
            await flush();
            expect(bulkhead.running).toBe(model.running.length);
            expect(bulkhead.running).toBeLessThanOrEqual(maxConcurrent);
            expect(bulkhead.queued).toBe(model.queue.length);
            expect(new Set(started.filter((id) => !outcome.has(id)))).toEqual(new Set(model.running));
          }
          // Drain: finish everything still running (and what the queue lets in).
          while (model.running.length > 0) {
            finishers.get(model.running.shift()!)!(false);
            promote();
            await flush();
          }
          // Started in arrival order; every call settled exactly once.
          expect(started).toEqual([...started].sort((a, b) => a - b));
          expect(outcome.size).toBe(next);
          expect([bulkhead.running, bulkhead.queued]).toEqual([0, 0]);
          for (const [id, result] of outcome) {
            if (!started.includes(id)) expect(['STARTUP_ERR_BULKHEAD_FULL', 'aborted']).toContain(result);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
