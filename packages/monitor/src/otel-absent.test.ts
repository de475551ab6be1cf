import { describe, expect, it, vi } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';

vi.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

describe('traceStartup without @opentelemetry/api', () => {
  it('does nothing and resolves to false', async () => {
    const { traceStartup } = await import('./otel.js');
    await expect(traceStartup(fakeReport([fakePlugin('a', { startMs: 0, attemptsMs: [1] })]))).resolves.toBe(
      false,
    );
  });
});
