import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { postgresErrorCodes } from '../src/classify-error.js';

it('every code of postgresErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/postgres`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(postgresErrorCodes), dirs)).toEqual({
    notRaised: [],
    notAsserted: [],
  });
});
