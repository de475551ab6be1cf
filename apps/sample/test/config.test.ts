import { createFaultProxy } from '@startup/fault-proxy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { loadSample } from '../src/load-sample.js';
import { createServices } from '../src/services.js';
import { spawnSample } from './sample-process.js';

const variables = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'NATS_URL',
  'API_KEY',
  'SERVICE_NAME',
  'STARTUP_TIMEOUT_MS',
  'ATTEMPT_TIMEOUT_MS',
  'HEALTH_TIMEOUT_MS',
  'SHUTDOWN_TIMEOUT_MS',
  'SHUTDOWN_DELAY_MS',
  'HISTORY_STORE',
  'PG_WARM_CONNECTIONS',
  'PG_POOL_MAX',
  'LOG_LEVEL',
  'STARTUP_GRADES',
  'STARTUP_VARIANT',
  'STARTUP_BULKHEAD_MAX',
] as const;

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadSample(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration from the environment', () => {
  it('defaults to the local servers, port 8687 and a 60 s deadline', () => {
    expect(loadConfig({})).toEqual({
      port: 8687,
      host: '127.0.0.1',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      redisUrl: 'redis://127.0.0.1:6379',
      natsUrl: 'nats://127.0.0.1:4222',
      apiKey: undefined,
      serviceName: 'startup-sample',
      startupTimeoutMs: 60_000,
      attemptTimeoutMs: 10_000,
      healthTimeoutMs: 5_000,
      shutdownTimeoutMs: 10_000,
      shutdownDelayMs: 0,
      history: { store: 'file', file: '.startup-history.jsonl' },
      pgWarmConnections: 10,
      pgPoolMax: 20,
      logLevel: 'info',
      grades: 'origin',
      variant: undefined,
      bulkheadMax: undefined,
    });
  });

  it('reads the history variant label and the shared bulkhead, both off by default', () => {
    const config = loadConfig({ STARTUP_VARIANT: 'bulkhead-2', STARTUP_BULKHEAD_MAX: '2' });
    expect(config).toMatchObject({ variant: 'bulkhead-2', bulkheadMax: 2 });
    expect(loadConfig({ STARTUP_VARIANT: ' ', STARTUP_BULKHEAD_MAX: '' })).toMatchObject({
      variant: undefined,
      bulkheadMax: undefined,
    });
  });

  it('gives the three connectors one bulkhead of STARTUP_BULKHEAD_MAX, and none without it', () => {
    const plugins = createServices(loadConfig({ STARTUP_BULKHEAD_MAX: '2' })).slice(0, 3);
    const bulkhead = plugins[0]?.bulkhead;
    expect(bulkhead?.toJSON()).toMatchObject({ name: 'connectors', maxConcurrent: 2 });
    expect(plugins.map((p) => p.bulkhead)).toEqual([bulkhead, bulkhead, bulkhead]);
    expect(createServices(loadConfig({})).map((p) => p.bulkhead)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('takes an empty value as unset and HISTORY_STORE=off as no history', () => {
    const config = loadConfig({ PORT: '', API_KEY: '  ', HISTORY_STORE: 'off' });
    expect(config.port).toBe(8687);
    expect(config.apiKey).toBeUndefined();
    expect(config.history).toBeUndefined();
  });

  it("writes the history where the monitor's CLI reads it: STARTUP_HISTORY_FILE when HISTORY_STORE is unset", () => {
    const file = (path: string) => ({ store: 'file', file: path });
    expect(loadConfig({ STARTUP_HISTORY_FILE: '/var/h.jsonl' }).history).toEqual(file('/var/h.jsonl'));
    expect(
      loadConfig({ STARTUP_HISTORY_FILE: '/var/h.jsonl', HISTORY_STORE: 'file:mine.jsonl' }).history,
    ).toEqual(file('mine.jsonl'));
    expect(loadConfig({ STARTUP_HISTORY_FILE: 'off' }).history).toBeUndefined();
    expect(loadConfig({ STARTUP_HISTORY_FILE: '' }).history).toEqual(file('.startup-history.jsonl'));
  });

  it('keeps the history in PostgreSQL or Redis, with a table or key of its own when given', () => {
    expect(loadConfig({ HISTORY_STORE: 'postgres' }).history).toEqual({
      store: 'postgres',
      table: 'startup_history',
    });
    expect(loadConfig({ HISTORY_STORE: 'postgres:ops.starts' }).history).toEqual({
      store: 'postgres',
      table: 'ops.starts',
    });
    expect(loadConfig({ HISTORY_STORE: 'redis' }).history).toEqual({
      store: 'redis',
      key: 'startup:history',
    });
    expect(loadConfig({ HISTORY_STORE: 'redis:fleet:starts' }).history).toEqual({
      store: 'redis',
      key: 'fleet:starts',
    });
  });

  it.each([
    'mysql',
    'file:',
    'postgres:drop table x',
    'postgres:a.b.c',
    'redis:',
    'redis:with space',
    'off:now',
  ])('refuses HISTORY_STORE=%s, naming the variable and the values it takes', (value) => {
    const problems = problemsOf({ HISTORY_STORE: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('HISTORY_STORE');
    expect(problems[0]).toContain('postgres');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['HOST', 'a b'],
    ['DATABASE_URL', 'mysql://127.0.0.1/test'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', 'redis://127.0.0.1:6379/notadb'],
    ['NATS_URL', 'http://127.0.0.1:4222'],
    ['NATS_URL', 'nats://127.0.0.1:4222,ws://127.0.0.1:80'],
    ['API_KEY', 'too-short'],
    ['API_KEY', 'clé-secrète-0123456789'],
    ['API_KEY', 'key-with-an-emoji-\u{1f511}-0123'],
    ['API_KEY', 'key\twith-a-tab-0123456789'],
    ['SERVICE_NAME', 'has space'],
    ['STARTUP_TIMEOUT_MS', '0'],
    ['STARTUP_TIMEOUT_MS', '1e4'],
    ['ATTEMPT_TIMEOUT_MS', 'soon'],
    ['HEALTH_TIMEOUT_MS', '0'],
    ['SHUTDOWN_TIMEOUT_MS', '-5'],
    ['SHUTDOWN_DELAY_MS', '20000'],
    ['PG_WARM_CONNECTIONS', '21'],
    ['PG_POOL_MAX', '0'],
    ['LOG_LEVEL', 'verbose'],
    ['STARTUP_GRADES', 'strict'],
    ['STARTUP_VARIANT', 'with space'],
    ['STARTUP_VARIANT', '-leading-dash'],
    ['STARTUP_BULKHEAD_MAX', '0'],
    ['STARTUP_BULKHEAD_MAX', '101'],
    ['STARTUP_BULKHEAD_MAX', 'two'],
  ])('rejects %s=%j naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', REDIS_URL: 'redis://h/x', API_KEY: 'k' });
    expect(problems.join('\n')).toMatch(/PORT[\s\S]*API_KEY[\s\S]*LOG_LEVEL[\s\S]*REDIS_URL/);
    expect(problems).toHaveLength(4);
  });

  it('throws STARTUP_ERR_INVALID_OPTION and never shows the API key', () => {
    const key = 'tiny-key';
    let error: unknown;
    try {
      loadSample({ API_KEY: key });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect((error as ConfigError).message).not.toContain(key);
  });

  it('rejects a non-ASCII API_KEY, which Node could never match against a header, without showing it', () => {
    const key = 'clé-secrète-0123456789';
    const problems = problemsOf({ API_KEY: key });
    expect(problems).toEqual([expect.stringMatching(/^Invalid option "API_KEY".*printable ASCII/)]);
    expect(problems[0]).not.toContain(key);
    expect(loadConfig({ API_KEY: 'plain-ascii-key-0123456789!~' }).apiKey).toBe(
      'plain-ascii-key-0123456789!~',
    );
  });

  it('accepts or rejects any environment, naming each variable at fault, never crashing', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('0', '1', '65535', '99999', '-1', 'NaN', 'Infinity', '1e3', ' 42 ', 'off', 'info'),
      fc.webUrl(),
      fc.constantFrom('postgres://u:p@h:1/d', 'redis://:p@h:1/0', 'nats://t@h:1', 'tls://h', 'h:1,h:2'),
    );
    const env = fc.dictionary(fc.constantFrom(...variables), value);
    fc.assert(
      fc.property(env, (e) => {
        const problems = problemsOf(e);
        for (const problem of problems) {
          expect(
            variables.some((name) => problem.includes(name)),
            problem,
          ).toBe(true);
        }
        // A variable left unset or empty never produces a problem.
        for (const name of variables) {
          if ((e[name] ?? '').trim() === '')
            expect(problems.some((p) => p.startsWith(`Invalid option "${name}"`))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('exits with status 2 and connects to nothing when a value is bad', async () => {
    const proxies = await Promise.all(
      [5432, 6379, 4222].map((port) => createFaultProxy({ target: { host: '127.0.0.1', port } })),
    );
    try {
      const [pg, redis, nats] = proxies.map((p) => p.port);
      const app = spawnSample({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${pg}/test`,
        REDIS_URL: `redis://127.0.0.1:${redis}`,
        NATS_URL: `nats://127.0.0.1:${nats}`,
        STARTUP_TIMEOUT_MS: 'soon',
      });
      expect(await app.exited()).toBe(2);
      expect(app.stderr()).toContain('Invalid option "STARTUP_TIMEOUT_MS"');
      expect(proxies.map((p) => p.accepted)).toEqual([0, 0, 0]);
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
    }
  });
});
