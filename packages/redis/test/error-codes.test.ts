import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { redisErrorCodes } from '../src/classify-error.js';

it('every code of redisErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/redis`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(redisErrorCodes), dirs)).toEqual({
    notRaised: [],
    notAsserted: [],
  });
});
