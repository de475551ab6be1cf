import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { mysqlErrorCodes } from '../src/classify-error.js';

it('every code of mysqlErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/mysql`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(mysqlErrorCodes), dirs)).toEqual({ notRaised: [], notAsserted: [] });
});
