import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry } from './history-store.js';
import { predictionAccuracy, predictionText, startPredictor } from './predict.js';

/** A completed start: db and cache in parallel from 0, api after both. */
function start(
  dbMs: number,
  cacheMs: number,
  apiMs: number,
  status: 'ready' | 'failed' = 'ready',
): HistoryEntry {
  const depsEnd = Math.max(dbMs, cacheMs);
  return {
    recordedAt: '2025-01-01T00:00:00.000Z',
    service: 'api',
    report: fakeReport(
      [
        fakePlugin('db', { startMs: 0, attemptsMs: [dbMs] }),
        fakePlugin('cache', { startMs: 0, attemptsMs: [cacheMs] }),
        fakePlugin('api', { startMs: depsEnd, attemptsMs: [apiMs], dependsOn: ['db', 'cache'] }),
      ],
      { status },
    ),
  };
}

const history = [
  start(90, 50, 30),
  start(100, 40, 25),
  start(110, 60, 35),
  start(5_000, 5_000, 5_000, 'failed'),
];

/** The same start, running: `elapsedMs` in, with db and cache in the given state. */
function running(elapsedMs: number, db: 'starting' | number, cache: 'starting' | number) {
  const plugin = (name: string, state: 'starting' | number) =>
    state === 'starting'
      ? fakePlugin(name, { startMs: 0, attemptsMs: [elapsedMs], status: 'starting' })
      : fakePlugin(name, { startMs: 0, attemptsMs: [state] });
  const report = fakeReport(
    [
      plugin('db', db),
      plugin('cache', cache),
      fakePlugin('api', { dependsOn: ['db', 'cache'], status: 'pending' }),
    ],
    { status: 'starting', wallMs: elapsedMs },
  );
  return report;
}

describe('startPredictor', () => {
  it.each([0, -3, Number.NaN, 2.5])('rejects a window of %s, naming the field', (window) => {
    expect(() => startPredictor(history, { window })).toThrow(
      expect.objectContaining({
        code: 'STARTUP_ERR_INVALID_OPTION',
        message: expect.stringContaining('window'),
      }),
    );
  });

  it('learns each plugin’s median time from the completed starts only', () => {
    const predictor = startPredictor(history)!;
    expect(predictor.plugins).toEqual({ db: 100, cache: 50, api: 30 });
    expect(predictor.basedOn).toBe(3);
  });

  it('predicts a whole start over its critical path: db 100 + api 30 = 130 ms', () => {
    const prediction = startPredictor(history)!.predict(running(0, 'starting', 'starting'));
    expect(prediction).toEqual({ wallMs: 130, plugins: { db: 100, cache: 50, api: 30 }, basedOn: 3 });
  });

  it('moves the estimate with the running start and says when it is on course to exceed the threshold', () => {
    const predictor = startPredictor(history)!;
    const early = predictor.estimate(running(40, 'starting', 'starting'), 40, 140);
    expect(early).toMatchObject({
      expectedWallMs: 130,
      remainingMs: 90,
      criticalPath: ['db', 'api'],
      onCourseToExceed: false,
    });
    // db is still connecting at 120 ms: it ends no earlier than now, api 30 ms after.
    const late = predictor.estimate(running(120, 'starting', 45), 120, 140);
    expect(late).toMatchObject({
      expectedWallMs: 150,
      remainingMs: 30,
      onCourseToExceed: true,
      thresholdMs: 140,
    });
    expect(late.text).toBe('expected 150 ms (30 ms left): on course to exceed the 140 ms alert threshold');
    // A settled plugin ends when it did.
    expect(predictor.estimate(running(70, 70, 45), 70).expectedWallMs).toBe(100);
  });

  it('counts a plugin without history as taking no time, and names it', () => {
    const report = running(0, 'starting', 'starting');
    report.plugins.push(fakePlugin('queue', { status: 'pending' }));
    expect(startPredictor(history)!.estimate(report, 0).unknown).toEqual(['queue']);
  });

  it('predicts nothing without a completed start, and keeps to the service asked for', () => {
    expect(startPredictor([history[3]!])).toBeUndefined();
    expect(startPredictor(history, { service: 'other' })).toBeUndefined();
  });
});

describe('predictionAccuracy', () => {
  it('compares the recorded predictions with what the starts took', () => {
    const entries = [start(90, 50, 30), start(100, 40, 25), start(110, 60, 35)];
    entries[0]!.prediction = { wallMs: 132, plugins: {}, basedOn: 5 }; // took 120: 10 % off
    entries[2]!.prediction = { wallMs: 116, plugins: {}, basedOn: 6 }; // took 145: 20 % off
    const accuracy = predictionAccuracy(entries);
    expect(accuracy).toMatchObject({ n: 2, newest: { predictedMs: 116, actualMs: 145 } });
    expect(accuracy.medianErrorRatio).toBeCloseTo(0.15, 12);
    expect(predictionText(accuracy)).toBe(
      'Predictions: 2 completed starts predicted, median error 15 %; newest: predicted 116 ms, took 145 ms\n',
    );
  });
});
