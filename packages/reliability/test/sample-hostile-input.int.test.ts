import { isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import { configVariables, loadSample } from '@startup/sample/configuration';
import { addressOf, natsUrl, postgresUrl, redisUrl } from '@startup/test-kit';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileUrl, secret } from './connector-arbitraries.js';
import { crashIn } from './crash-in.js';
import { type SampleProcess, spawnSample } from './sample-app.js';

// The sample app's environment and its feature endpoint, hostile. Extends apps/sample/test/config.test.ts
// (readConfig alone, one bad variable in a real process) and events.test.ts (random JSON bodies): here
// through loadSample (the connectors' validation included) with passwords in the URLs, several real
// processes that must connect to nothing, and hostile methods, content types and bodies.

const names = configVariables.map((v) => v.name);
const urlVariables = ['DATABASE_URL', 'REDIS_URL', 'NATS_URL'] as const;
const schemes: Record<(typeof urlVariables)[number], string[]> = {
  DATABASE_URL: ['postgres', 'postgresql'],
  REDIS_URL: ['redis', 'rediss'],
  NATS_URL: ['nats', 'tls'],
};

const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '0',
    '1',
    '-1',
    '65536',
    '1e3',
    '0x10',
    ' 7 ',
    'NaN',
    'off',
    'OFF',
    'trace',
    'loopback',
    '9'.repeat(20),
  ),
);

/** An environment whose URL variables each carry `password`, some in hostile URLs. */
const hostileEnv = secret.chain((password) =>
  fc
    .tuple(
      fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 }),
      fc.record(
        Object.fromEntries(
          urlVariables.map((name) => [
            name,
            fc.option(
              hostileUrl({ schemes: schemes[name], tokenInUserInfo: name === 'NATS_URL' } as never, password),
            ),
          ]),
        ) as Record<(typeof urlVariables)[number], fc.Arbitrary<string | null>>,
      ),
    )
    .map(([env, urls]) => {
      for (const [name, url] of Object.entries(urls)) if (url !== null) env[name] = url;
      return { password, env };
    }),
);

/** Every problem names one of the variables that were set; none shows the password. */
function expectNamedProblems(error: unknown, env: Record<string, string>, password: string) {
  expect(isStartupError(error), String(error)).toBe(true);
  expect(crashIn(error)).toBeUndefined();
  expect((error as { code: string }).code).toBe('STARTUP_ERR_INVALID_OPTION');
  const problems = (error as { problems?: readonly string[] }).problems ?? [];
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    const variable = /^Invalid option "([A-Z_]+)"|^([A-Z_]+): /.exec(problem);
    const named = variable?.[1] ?? variable?.[2];
    expect(named !== undefined && named in env, problem).toBe(true);
  }
  expect((error as Error).message).not.toContain(password);
}

describe("the sample app's environment, hostile", () => {
  it('is accepted, or rejected naming each variable at fault without showing a password, by loadSample', () => {
    fc.assert(
      fc.property(hostileEnv, ({ password, env }) => {
        try {
          loadSample(env);
        } catch (error) {
          expectNamedProblems(error, env, password);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('makes the real process exit 2 before connecting to anything when it is rejected', async () => {
    const proxies = await Promise.all(
      [postgresUrl, redisUrl, natsUrl].map((u) => createFaultProxy({ target: addressOf(u) })),
    );
    const [pgPort, redisPort, natsPort] = proxies.map((p) => p.port);
    const base = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/test`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
    };
    try {
      const rejected = fc
        .tuple(
          fc.dictionary(fc.constantFrom(...names.filter((n) => !n.endsWith('_URL'))), value, {
            minKeys: 1,
            maxKeys: 3,
          }),
        )
        .map(([env]) => ({ ...base, ...env }))
        .filter((env) => {
          try {
            loadSample(env);
            return false;
          } catch {
            return true;
          }
        });
      await fc.assert(
        fc.asyncProperty(rejected, async (env) => {
          const app = spawnSample(env);
          expect(await app.exited()).toBe(2);
          expect(proxies.map((p) => p.accepted)).toEqual([0, 0, 0]);
        }),
        { numRuns: 6 },
      );
    } finally {
      await Promise.all(proxies.map((p: FaultProxy) => p.close()));
    }
  });
});

describe('POST /api/v1/events, hostile', () => {
  let app: SampleProcess;
  const ids: number[] = [];

  beforeAll(async () => {
    app = spawnSample({});
    await app.ready();
  });

  afterAll(async () => {
    await app?.stop();
    const client = new pg.Client({
      connectionString: postgresUrl,
      application_name: 'startup-reliability-cleanup',
    });
    await client.connect();
    await client.query('DELETE FROM sample_events WHERE id = ANY($1)', [ids]);
    await client.end();
  });

  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const body = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"type":"ok","payload":{"__proto__":{"polluted":true}}}',
      '{"type":"ok","payload":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"__proto__":{"type":"ok"},"type":"ok","payload":{}}',
      `{"type":"ok","payload":${nested(5_000)}}`,
      // 8 KB of nested arrays once overflowed the stack when the event was serialised.
      `{"type":"ok","payload":{"a":${'['.repeat(4_111)}${']'.repeat(4_111)}}}`,
      '{"type":"ok","payload":{"n":1e-400,"i":12345678901234567891}}',
      '{"type":"ok","payload":{"n":1e309}}',
      '{"type":"ok","payload":{"s":"\\ud800"}}',
      '{"type":"ok","payload":{}}garbage',
      '{"type":"ok","payload":{},"type":"again"}',
      '',
      'null',
    ),
    fc.string(),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    undefined,
  );

  it('answers any method, content type and body with a 2xx or a 4xx, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE'),
        contentType,
        body,
        async (method, type, text) => {
          const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
          const res = await app.request('/api/v1/events', { method, headers, body: text });
          const answer = await res.text();
          if (res.status === 201) ids.push(JSON.parse(answer).id);
          expect({ method, type, status: res.status }).toMatchObject({
            status: expect.toSatisfy((s: number) => s < 500),
          });
        },
      ),
      {
        numRuns: 120,
        // Strings PostgreSQL cannot store in jsonb (a NUL, a lone surrogate) are the client's mistake: 4xx.
        examples: [
          ['POST', 'application/json', '{"type":"ok","payload":{"s":"a\\u0000b"}}'],
          ['POST', 'application/json', '{"type":"ok","payload":{"s":"\\ud800"}}'],
          [
            'POST',
            'application/json',
            `{"type":"ok","payload":{"a":${'['.repeat(4_111)}${']'.repeat(4_111)}}}`,
          ],
        ],
      },
    );
    expect((await app.request('/health/ready')).status).toBe(200);
  });
});
