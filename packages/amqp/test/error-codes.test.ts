import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { amqpErrorCodes } from '../src/classify-error.js';

it('every code of amqpErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/amqp`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(amqpErrorCodes), dirs)).toEqual({
    notRaised: [],
    notAsserted: [],
  });
});
