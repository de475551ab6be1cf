import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { httpServiceErrorCodes } from '../src/classify-error.js';

it('every code of httpServiceErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/http`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(httpServiceErrorCodes), dirs)).toEqual({ notRaised: [], notAsserted: [] });
});
