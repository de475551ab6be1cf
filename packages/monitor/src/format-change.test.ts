import { expect, it } from 'vitest';
import { formatChange } from './format-change.js';

it('signs and rounds a change in percent, with ±0 for no change', () => {
  expect(formatChange(39.6)).toBe('+40 %');
  expect(formatChange(-4.5)).toBe('-4 %');
  expect(formatChange(-0.4)).toBe('±0 %');
  expect(formatChange(0.4)).toBe('±0 %');
});
