import { expect, it } from 'vitest';
// The built output on purpose: a broken build must not pass.
import { expectNothingLeft, pluginContext, uniqueName, watchHandles } from '../dist/index.js';

it('the built package records what a plugin did and finds a timer left running', async () => {
  const { ctx, record } = pluginContext({ attempt: 2 });
  await ctx.step('connect', () => 'ok');
  await expect(ctx.step('verify', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
  ctx.runtime.down(new Error('lost'));
  ctx.runtime.up();
  ctx.logger.info('connected', { url: 'redis://cache' });
  expect(ctx.attempt).toBe(2);
  expect(record.steps).toMatchObject([
    { name: 'connect', ok: true },
    { name: 'verify', ok: false, error: { message: 'no' } },
  ]);
  expect(record.runtime.map((r) => r.type)).toEqual(['down', 'up']);
  expect(record.logs).toEqual(['info connected {"url":"redis://cache"}']);
  expect(uniqueName('dist')).not.toBe(uniqueName('dist'));

  const watch = watchHandles();
  const timer = setTimeout(() => {}, 60_000);
  await expect(expectNothingLeft(watch, 50)).rejects.toThrow('a timer set');
  clearTimeout(timer);
  await expect(expectNothingLeft(watchHandles())).resolves.toBeUndefined();
});
