import { expect, it } from 'vitest';
// The built output on purpose: a broken build must not pass.
import { classifyMysqlError, mysql } from '../dist/index.js';

it('the built package makes a mysql plugin and checks its options', () => {
  const plugin = mysql({ url: 'mysql://app@db:3306/app' });
  expect(plugin.name).toBe('mysql');
  expect(typeof plugin.init).toBe('function');
  expect(() => mysql({ max: -1 })).toThrow(expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }));
  expect(
    classifyMysqlError(Object.assign(new Error('x'), { code: 'ER_ACCESS_DENIED_ERROR' })).retryable,
  ).toBe(false);
});
