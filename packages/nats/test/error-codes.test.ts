import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { natsErrorCodes } from '../src/classify-error.js';

it('every code of natsErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/nats`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(natsErrorCodes), dirs)).toEqual({
    notRaised: [],
    notAsserted: [],
  });
});
