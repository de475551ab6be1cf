import { describe, expect, it } from 'vitest';
import { checkBoolean, checkPassThrough, checkSecret, checkString } from './option-strings.js';

describe('string, secret and boolean options', () => {
  it('returns the fallback for undefined and the value when valid', () => {
    expect(checkString('host', undefined, 'localhost')).toBe('localhost');
    expect(checkString('host', 'db', 'localhost', { pattern: /^\S+$/, expected: 'a host name' })).toBe('db');
    expect(checkSecret('password', undefined)).toBeUndefined();
    expect(checkSecret('password', 's3cret')).toBe('s3cret');
    expect(checkBoolean('tls', undefined, false)).toBe(false);
    expect(checkBoolean('tls', true, false)).toBe(true);
  });

  it('names the field and plugin of a bad value', () => {
    expect(() => checkString('host', ' ', 'x', { plugin: 'redis' })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION', plugin: 'redis' }),
    );
    expect(() => checkString('host', 'a b', 'x', { pattern: /^\S+$/, expected: 'a host name' })).toThrow(
      'Invalid option "host": expected a host name',
    );
    expect(() => checkBoolean('tls', 'yes', false, { plugin: 'nats' })).toThrow(
      'Invalid option "tls" of plugin "nats"',
    );
  });

  it('never shows a credential, not even redacted', () => {
    expect(() => checkSecret('password', 42)).toThrow(/got "number"|got number/);
    expect(() => checkSecret('token', '')).toThrow('got "(empty)"');
  });

  it('passes client options through unless they set a key the plugin manages', () => {
    expect(checkPassThrough('pg', undefined, ['max'])).toEqual({});
    expect(checkPassThrough('pg', { ssl: true }, ['max'])).toEqual({ ssl: true });
    expect(() => checkPassThrough('pg', { max: 5 }, ['max'], { plugin: 'postgres' })).toThrow(
      'Invalid option "pg.max" of plugin "postgres"',
    );
    expect(() => checkPassThrough('pg', 'x', ['max'])).toThrow('Invalid option "pg": expected an object');
  });
});
