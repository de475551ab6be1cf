import { createStartup } from '@startup/core';
import { postgres } from '@startup/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsTable } from '../src/events-table.js';
import { InvalidEventError, isDataException, unstorableAt, unstorableMessage } from '../src/invalid-event.js';
import { type EventServices, recordEvent, ServiceUnavailableError } from '../src/record-event.js';
import { uniqueName } from './sample-process.js';
import { withPg } from './server-connections.js';

describe('unstorableAt', () => {
  it.each([
    ['a NUL in a string', { s: 'a\u0000b' }, 'payload/s'],
    ['a NUL in a key', { n: { 'k\u0000': 1 } }, 'a key of payload/n'],
    ['a lone high surrogate at the end', { s: 'x\ud800' }, 'payload/s'],
    ['a lone low surrogate', { a: [1, 'ok', '\udc00y'] }, 'payload/a/2'],
    ['two high surrogates in a row', { s: '\ud83d\ud83d\ude00' }, 'payload/s'],
  ])('finds %s', (_case, value, at) => {
    expect(unstorableAt(value, 'payload')).toEqual({ path: at, problem: 'text' });
  });

  it.each([
    ['a number JSON parsed to Infinity', JSON.parse('{"a":1e400}'), 'payload/a'],
    ['a negative one in an array', JSON.parse('{"l":[0,-1e400]}'), 'payload/l/1'],
  ])('finds %s', (_case, value, at) => {
    expect(unstorableAt(value, 'payload')).toEqual({ path: at, problem: 'number' });
    expect(unstorableMessage({ path: at, problem: 'number' })).toMatch(
      new RegExp(`^${at} must be a finite number`),
    );
  });

  it('finds nothing in what jsonb stores, surrogate pairs, control characters and large numbers included', () => {
    expect(
      unstorableAt({ s: '\ud83d\ude00 \u0001\t é', n: [null, 1, true, { k: '' }], big: 1e308 }, 'payload'),
    ).toBe(undefined);
  });

  it('walks a nesting deeper than the call stack would allow', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableAt(deep, 'p')?.path).toMatch(/^p(\/0){100000}$/);
  });
});

describe('isDataException', () => {
  it('is true for SQLSTATE class 22 only', () => {
    expect(['22P05', '22P02', '22001', '22003'].map((code) => isDataException({ code }))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['57P01', '08006', '42P01', 'ECONNREFUSED', 22].map((code) => isDataException({ code }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isDataException(undefined)).toBe(false);
  });
});

describe('recordEvent against PostgreSQL', () => {
  const table = uniqueName('invalid').replace(/-/g, '_');
  const url = 'postgres://postgres@127.0.0.1:5432/test';
  const app = createStartup(
    [postgres({ url, applicationName: table, warmConnections: 1 }), eventsTable({ table })],
    {
      defaults: { retry: { initialDelayMs: 20, maxDelayMs: 50 } },
    },
  );
  let services: EventServices;

  beforeAll(async () => {
    const started = await app.start();
    // Redis and JetStream are never reached here: PostgreSQL refuses the event first.
    const untouched = new Proxy(
      {},
      {
        get() {
          throw new Error('touched a service after PostgreSQL refused the event');
        },
      },
    );
    services = {
      'events-table': started['events-table'],
      redis: untouched as never,
      'events-stream': untouched as never,
    };
  });

  afterAll(async () => {
    await app.stop();
    await withPg((pg) => pg.query(`DROP TABLE IF EXISTS ${table}`));
  });

  it('answers a value PostgreSQL refuses (a data exception) as the client’s mistake, not an outage', async () => {
    const error = await recordEvent(services, 'k', { type: 'x', payload: { s: 'a\u0000b' } }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error).toMatchObject({ statusCode: 400, code: 'INVALID_EVENT', cause: { code: '22P05' } });
    const lone = await recordEvent(services, 'k', { type: 'x', payload: { s: '\ud800' } }).catch((e) => e);
    expect(lone).toMatchObject({ statusCode: 400, cause: { code: '22P02' } });
  });

  it('still answers a PostgreSQL that is gone as unavailable', async () => {
    await app.stop();
    const error = await recordEvent(services, 'k', { type: 'x', payload: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ service: 'postgres' });
  });
});
