import { expect, it } from 'vitest';
// The built output on purpose: a broken build must not pass.
import { classifyPostgresError, postgres } from '../dist/index.js';

it('the built package makes a postgres plugin and checks its options', () => {
  const plugin = postgres({ url: 'postgres://app@db:5432/app' });
  expect(plugin.name).toBe('postgres');
  expect(typeof plugin.init).toBe('function');
  expect(() => postgres({ max: -1 })).toThrow(
    expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
  );
  expect(classifyPostgresError(Object.assign(new Error('x'), { code: '28P01' })).retryable).toBe(false);
});
