import { describe, expect, it } from 'vitest';
// The built output on purpose: a broken build must not pass.
import { createStartup, isStartupError } from '../dist/index.js';

describe('@startup/core built output', () => {
  it('starts and stops an application', async () => {
    const app = createStartup([{ name: 'answer', init: () => 42 }]);
    expect(await app.start()).toEqual({ answer: 42 });
    await app.stop();
    expect(app.state).toBe('stopped');
    expect(isStartupError(new Error('x'))).toBe(false);
  });
});
