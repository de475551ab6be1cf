import { createStartup } from '@startup/core';
import { postgres } from '@startup/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsTable } from '../src/events-table.js';
import { InvalidEventError, isDataException } from '../src/invalid-event.js';
import { type EventServices, recordEvent, ServiceUnavailableError } from '../src/record-event.js';
import { uniqueName } from './sample-process.js';
import { withPg } from './server-connections.js';

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
