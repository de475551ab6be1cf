import { readFileSync } from 'node:fs';
import { optionsTableOf } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { httpServiceOptionSchema } from './schema.js';

it("the README's options table is the one the option schema derives", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(optionsTableOf(readme)).toEqual(httpServiceOptionSchema.rows());
});
