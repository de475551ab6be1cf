import { describe, expect, it } from 'vitest';
import { redactor, secretsOf } from '../src/redaction.js';

const base = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: 'redis://127.0.0.1:6379',
  natsUrl: 'nats://127.0.0.1:4222',
  apiKey: undefined,
};

describe('secrets of the configuration', () => {
  it('are the URL passwords as written and decoded, a NATS token and the API key', () => {
    const secrets = secretsOf({
      databaseUrl: 'postgres://app:p%40ss%22word@db:5432/app',
      redisUrl: 'redis://:redis-pw@cache:6379/0',
      natsUrl: 'nats://127.0.0.1:4222, nats://s3cr3t-token@127.0.0.1:4223',
      apiKey: 'key-0123456789abcdef',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'p%40ss%22word',
        'p@ss"word',
        'p@ss\\"word',
        'redis-pw',
        's3cr3t-token',
        'key-0123456789abcdef',
      ]),
    );
  });

  it('are none without passwords', () => {
    expect(secretsOf(base)).toEqual([]);
  });

  it('are removed from any text, JSON-escaped or not', () => {
    const redact = redactor(
      secretsOf({ ...base, databaseUrl: 'postgres://app:p"w@db/app', apiKey: 'k'.repeat(16) }),
    );
    const line = JSON.stringify({
      msg: 'failed: password p"w rejected',
      key: 'k'.repeat(16),
      url: 'redis://u:other@h',
    });
    const out = redact(line);
    expect(out).not.toContain('p\\"w');
    expect(out).not.toContain('k'.repeat(16));
    expect(out).toContain('redis://u:****@h');
  });
});
