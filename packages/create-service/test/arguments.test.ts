import { describe, expect, it } from 'vitest';
import { readCommandLine } from '../src/arguments.js';
import { CreateServiceError } from '../src/errors.js';

/** The code of the error `argv` is refused with. */
function refusal(argv: string[]): string | undefined {
  try {
    readCommandLine(argv);
    return undefined;
  } catch (error) {
    return error instanceof CreateServiceError ? error.code : 'not a CreateServiceError';
  }
}

describe('readCommandLine', () => {
  it('reads the directory, the connectors in catalogue order, the framework and the package manager', () => {
    const line = readCommandLine([
      'my-svc',
      '--connectors',
      'redis, postgres',
      '--framework',
      'node-http',
      '--package-manager',
      'pnpm',
    ]);
    expect(line.given).toEqual({
      directory: 'my-svc',
      name: 'my-svc',
      connectors: ['postgres', 'redis'],
      framework: 'node-http',
      packageManager: 'pnpm',
    });
    expect(line.yes).toBe(false);
  });

  it('names the service after the directory unless --name says otherwise', () => {
    expect(readCommandLine(['services/orders']).given.name).toBe('orders');
    expect(readCommandLine(['services/orders', '--name', 'orders-api']).given.name).toBe('orders-api');
  });

  it('takes none, or nothing, as no connector', () => {
    expect(readCommandLine(['a', '--connectors', 'none']).given.connectors).toEqual([]);
    expect(readCommandLine(['a', '--connectors', '']).given.connectors).toEqual([]);
  });

  it('leaves out what no flag gives, to be asked or defaulted', () => {
    expect(readCommandLine([]).given).toEqual({});
    expect(readCommandLine(['-y']).yes).toBe(true);
  });

  it('refuses every bad flag with a code naming what is wrong', () => {
    expect(refusal(['a', '--conectors', 'redis'])).toBe('CREATE_ERR_INVALID_FLAG');
    expect(refusal(['a', '--connectors'])).toBe('CREATE_ERR_INVALID_FLAG');
    expect(refusal(['a', 'b'])).toBe('CREATE_ERR_INVALID_FLAG');
    expect(refusal(['a', '--connectors', 'postgres,mongodb'])).toBe('CREATE_ERR_INVALID_CONNECTOR');
    expect(refusal(['a', '--connectors', 'redis,redis'])).toBe('CREATE_ERR_INVALID_CONNECTOR');
    expect(refusal(['a', '--framework', 'express'])).toBe('CREATE_ERR_INVALID_FRAMEWORK');
    expect(refusal(['a', '--package-manager', 'bun'])).toBe('CREATE_ERR_INVALID_PACKAGE_MANAGER');
    expect(refusal(['a', '--name', 'Orders_API'])).toBe('CREATE_ERR_INVALID_NAME');
    expect(refusal(['My_Service'])).toBe('CREATE_ERR_INVALID_NAME');
    expect(refusal(['a', '--name', 'orders-'])).toBe('CREATE_ERR_INVALID_NAME');
  });

  it('says which connector is unknown and which ones exist', () => {
    expect(() => readCommandLine(['a', '--connectors', 'mongodb'])).toThrow(
      /--connectors: "mongodb" is not a connector; choose any of postgres, redis, nats, mysql, amqp, mqtt, http/,
    );
  });
});
