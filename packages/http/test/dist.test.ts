import { expect, it } from 'vitest';
// The built output on purpose: a broken build must not pass.
import { classifyHttpServiceError, HttpStatusError, httpService } from '../dist/index.js';

it('the built package makes an httpService plugin and checks its options', () => {
  const plugin = httpService({ name: 'billing', url: 'http://billing:8080/' });
  expect(plugin.name).toBe('billing');
  expect(typeof plugin.init).toBe('function');
  expect(() => httpService({ name: 'billing', url: 'ftp://x/' })).toThrow(
    expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
  );
  expect(classifyHttpServiceError(new HttpStatusError(401, undefined)).retryable).toBe(false);
});
