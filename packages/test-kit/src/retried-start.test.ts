import { definePlugin, StartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { contextRecord } from './plugin-context.js';
import { retriedStart } from './retried-start.js';

describe('retriedStart', () => {
  it("retries a plugin's init as core would, counting attempts into one record", async () => {
    const record = contextRecord();
    const plugin = definePlugin({
      name: 'flaky',
      init: async (ctx) => {
        ctx.logger.info(`attempt ${ctx.attempt}`);
        if (ctx.attempt < 3) throw new StartupError('STARTUP_ERR_FAILED', 'not yet', { retryable: true });
        return 'ready';
      },
    });
    const run = retriedStart(plugin, record);
    expect(await run.started).toBe('ready');
    expect(run.attempts()).toBe(3);
    expect(record.logs.map((line) => line.includes('attempt'))).toEqual([true, true, true]);
  });

  it('gives up within its budget of attempts', async () => {
    const plugin = definePlugin({
      name: 'down',
      init: () => {
        throw new StartupError('STARTUP_ERR_FAILED', 'down', { retryable: true });
      },
    });
    const run = retriedStart(plugin, contextRecord(), { maxAttempts: 2 });
    await expect(run.started).rejects.toThrow('down');
    expect(run.attempts()).toBe(2);
  });
});
