import { unprovenCodes } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { mqttErrorCodes } from '../src/classify-error.js';

it('every code of mqttErrorCodes is raised by the connector and asserted by a test', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const dirs = [`${root}packages/mqtt`, `${root}packages/reliability`];
  expect(unprovenCodes(Object.keys(mqttErrorCodes), dirs)).toEqual({
    notRaised: [],
    notAsserted: [],
  });
});
