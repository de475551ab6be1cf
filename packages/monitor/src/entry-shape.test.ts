import { describe, expect, it } from 'vitest';
import { degradedStart, failedStart, readyStart, runningStart } from '../test/sample-starts.js';
import { entryProblem } from './entry-shape.js';
import { isHistoryEntry } from './history-store.js';

const entry = () => ({
  recordedAt: '2025-03-01T10:00:00.000Z',
  service: 'orders-api',
  // A deep copy: the fixtures share their error objects.
  report: structuredClone(readyStart()) as unknown as Record<string, any>,
});

describe('entryProblem', () => {
  it('accepts every shape of report the runner records', () => {
    for (const report of [readyStart(), degradedStart(), runningStart(), failedStart()]) {
      expect(entryProblem({ recordedAt: '2025-03-01T10:00:00.000Z', report })).toBeUndefined();
    }
  });

  it.each<[string, (e: ReturnType<typeof entry>) => void, string, string]>([
    [
      'a plugins array holding null',
      (e) => (e.report.plugins[1] = null),
      'entry.report.plugins[1]',
      'an object',
    ],
    [
      'a plugin without attempts',
      (e) => delete e.report.plugins[0].attempts,
      'entry.report.plugins[0].attempts',
      'an array',
    ],
    [
      'a numeric plugin name',
      (e) => (e.report.plugins[0].name = 5),
      'entry.report.plugins[0].name',
      'a string',
    ],
    [
      'a dependency that is not a name',
      (e) => (e.report.plugins[3].dependsOn = [1]),
      'entry.report.plugins[3].dependsOn[0]',
      'a string',
    ],
    [
      'an attempt that is a string',
      (e) => (e.report.plugins[1].attempts[1] = 'x'),
      'entry.report.plugins[1].attempts[1]',
      'an object',
    ],
    [
      'an error message that is not text',
      (e) => (e.report.plugins[1].attempts[0].error.message = 7),
      'entry.report.plugins[1].attempts[0].error.message',
      'a string',
    ],
    [
      'a step without a name',
      (e) => delete e.report.plugins[0].steps[1].name,
      'entry.report.plugins[0].steps[1].name',
      'a string',
    ],
    [
      'an unknown plugin status',
      (e) => (e.report.plugins[2].status = 'fine'),
      'entry.report.plugins[2].status',
      'one of',
    ],
    ['an unknown start status', (e) => (e.report.status = 'banana'), 'entry.report.status', 'one of'],
    ['a negative wall time', (e) => (e.report.wallMs = -5), 'entry.report.wallMs', 'a time in milliseconds'],
    [
      'an infinite duration',
      (e) => (e.report.plugins[0].durationMs = Infinity),
      'entry.report.plugins[0].durationMs',
      'a time',
    ],
    ['a missing startedAt', (e) => delete e.report.startedAt, 'entry.report.startedAt', 'a string'],
    [
      'a critical path that is not a list',
      (e) => (e.report.criticalPath = 'api'),
      'entry.report.criticalPath',
      'an array',
    ],
    [
      'a report without the end of its critical path under either name',
      (e) => {
        delete e.report.criticalPathEndMs;
        delete e.report.criticalPathMs;
      },
      'entry.report.criticalPathEndMs',
      'a time in milliseconds',
    ],
    [
      'a critical path end that is not a time',
      (e) => (e.report.criticalPathEndMs = '850'),
      'entry.report.criticalPathEndMs',
      'a time in milliseconds',
    ],
    [
      'a recordedAt that is no date',
      (e) => ((e as Record<string, unknown>).recordedAt = 'yesterday'),
      'entry.recordedAt',
      'an ISO 8601 date',
    ],
    ['a numeric service', (e) => ((e as Record<string, unknown>).service = 3), 'entry.service', 'a string'],
    [
      'a report that is an array',
      (e) => ((e as Record<string, unknown>).report = []),
      'entry.report',
      'an object',
    ],
  ])('names the field of %s', (_case, spoil, path, expected) => {
    const e = entry();
    spoil(e);
    expect(entryProblem(e)).toMatchObject({ path, expected: expect.stringContaining(expected) });
    expect(isHistoryEntry(e)).toBe(false);
  });

  it('accepts a report that names the end of its critical path under the old name only, or the new one only', () => {
    const old = entry();
    delete old.report.criticalPathEndMs;
    expect(entryProblem(old)).toBeUndefined();
    const current = entry();
    delete current.report.criticalPathMs;
    expect(entryProblem(current)).toBeUndefined();
  });

  it('names the entry itself when it is not an object', () => {
    expect(entryProblem(null)).toMatchObject({ path: 'entry', expected: 'an object' });
  });
});
