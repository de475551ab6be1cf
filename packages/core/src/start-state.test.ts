import { describe, expect, it } from 'vitest';
import { isStartupError } from './errors.js';
import { definePlugin } from './plugin.js';
import { createStartup } from './runner.js';

const clockPlugin = () => definePlugin({ name: 'clock', init: () => ({ now: 0 }) });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('reading resources and starting again', () => {
  it('refuses resources before start() resolved, with STARTUP_ERR_NOT_STARTED', async () => {
    const app = createStartup([clockPlugin()]);
    const before = thrown(() => app.resources);
    expect(isStartupError(before) && before.code).toBe('STARTUP_ERR_NOT_STARTED');
    const starting = app.start();
    const during = thrown(() => app.resources);
    expect(isStartupError(during) && during.code).toBe('STARTUP_ERR_NOT_STARTED');
    await starting;
    expect(app.resources.clock).toEqual({ now: 0 });
    await app.stop();
    const after = thrown(() => app.resources);
    expect(isStartupError(after) && after.code).toBe('STARTUP_ERR_NOT_STARTED');
  });

  it('refuses start() on an application stopped before it started, with STARTUP_ERR_ALREADY_STARTED', async () => {
    let inits = 0;
    const app = createStartup([definePlugin({ name: 'counted', init: () => ++inits })]);
    await app.stop();
    await expect(app.start()).rejects.toMatchObject({ code: 'STARTUP_ERR_ALREADY_STARTED' });
    expect(inits).toBe(0);
  });

  it("hands a second start() the first one's promise instead of starting again", async () => {
    let inits = 0;
    const app = createStartup([definePlugin({ name: 'counted', init: () => ++inits })]);
    const first = app.start();
    expect(app.start()).toBe(first);
    await first;
    expect(app.start()).toBe(first);
    expect(inits).toBe(1);
    await app.stop();
  });
});
