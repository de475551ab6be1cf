import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from './redact.js';

describe('redactSecrets', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:****@db:5432/app'],
    ['postgresql://app:s3cret@db/app?sslmode=require', 'postgresql://app:****@db/app?sslmode=require'],
    ['redis://:hunter2@127.0.0.1:6379/0', 'redis://:****@127.0.0.1:6379/0'],
    ['rediss://default:hunter2@cache:6380', 'rediss://default:****@cache:6380'],
    ['nats://alice:s3cret@127.0.0.1:4222', 'nats://alice:****@127.0.0.1:4222'],
    ['NATS://alice:s3cret@127.0.0.1:4222', 'NATS://alice:****@127.0.0.1:4222'],
  ])('hides the password of %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    ['percent-encoded characters', 'postgres://app:p%40ss%3Aw%2Fd%23@db/app', 'postgres://app:****@db/app'],
    ['a colon', 'nats://alice:pa:ss@nats:4222', 'nats://alice:****@nats:4222'],
    ['punctuation', "redis://:p!$&'()*+,;=~@cache:6379", 'redis://:****@cache:6379'],
    ['an unencoded @', 'postgres://app:p@ss@db:5432/app', 'postgres://app:****@db:5432/app'],
  ])('hides a password made of %s', (_, text, expected) => {
    const out = redactSecrets(text);
    expect(out).toBe(expected);
  });

  it('hides the password of every URL inside a longer message', () => {
    const text = 'connect ECONNREFUSED: postgres://a:one@h1/x, then redis://:two@h2:6379 (attempt 3)';
    expect(redactSecrets(text)).toBe(
      'connect ECONNREFUSED: postgres://a:****@h1/x, then redis://:****@h2:6379 (attempt 3)',
    );
  });

  it('hides the password of a URL without a scheme', () => {
    expect(redactSecrets('got "//%zz:s3cret@a..invalid?sslmode=require"')).toBe(
      'got "//%zz:****@a..invalid?sslmode=require"',
    );
  });

  it('leaves URLs without a password, and the user name, as they are', () => {
    for (const text of ['postgres://app@db:5432/app', 'http://host:8080/path', 'nats://127.0.0.1:4222']) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it.each([
    [
      'a libpq connection string',
      'host=db user=app password=s3cret dbname=x',
      'host=db user=app password=**** dbname=x',
    ],
    [
      'a query string',
      '?user=app&password=s3cret&sslmode=require',
      '?user=app&password=****&sslmode=require',
    ],
    ['an ADO-style string', 'Server=db;Pwd=s3cret;Database=x', 'Server=db;Pwd=****;Database=x'],
    ['upper-case keys', 'PASSWORD=s3cret TOKEN=abc', 'PASSWORD=**** TOKEN=****'],
    ['pass, token and secret keys', 'pass=a token=b secret=c', 'pass=**** token=**** secret=****'],
  ])('hides key=value secrets in %s', (_, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('hides a quoted libpq password, spaces included', () => {
    const out = redactSecrets("host=db password='my s3cret pass' dbname=x");
    expect(out).not.toContain('s3cret');
    expect(out).toContain('dbname=x');
  });

  it.each([
    ['PGPASSWORD=s3cret'],
    ['REDIS_PASSWORD=s3cret'],
    ['access_token=s3cret&scope=read'],
    ['client_secret=s3cret'],
  ])('hides the value of a prefixed key in %s', (text) => {
    expect(redactSecrets(text)).not.toContain('s3cret');
  });

  it('removes every occurrence of each literal secret, regex characters included', () => {
    const text = 'token a.b*c+d? sent twice: a.b*c+d? and nats token t0k';
    expect(redactSecrets(text, ['a.b*c+d?', 't0k'])).toBe('token **** sent twice: **** and nats token ****');
  });

  it('ignores an empty literal secret', () => {
    expect(redactSecrets('nothing to hide', [''])).toBe('nothing to hide');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest of the URL', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/app?sslmode=require')).toBe(
      'postgres://app:****@db:5432/app?sslmode=require',
    );
    expect(redactUrl('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:****@127.0.0.1:6379/0');
    expect(redactUrl('nats://alice:p%40ss@127.0.0.1:4222')).toBe('nats://alice:****@127.0.0.1:4222');
  });

  it('takes a URL object', () => {
    expect(redactUrl(new URL('postgres://app:s3cret@db/app'))).toBe('postgres://app:****@db/app');
  });

  it('hides a password whose @ is not encoded', () => {
    expect(redactUrl('postgres://app:p@ss@db/app')).toBe('postgres://app:****@db/app');
  });

  it('returns a URL without a password unchanged', () => {
    expect(redactUrl('postgres://app@db:5432/app')).toBe('postgres://app@db:5432/app');
  });

  it('hides a password given as a query parameter', () => {
    expect(redactUrl('postgres://app@db/app?password=s3cret&sslmode=require')).toBe(
      'postgres://app@db/app?password=****&sslmode=require',
    );
  });

  it('redacts text that is not a URL as text', () => {
    expect(redactUrl('not a url password=s3cret')).toBe('not a url password=****');
  });
});

describe('redactSecrets on malformed URLs', () => {
  it.each([
    ['//app:s3cret@127.0.0.1', '//app:****@127.0.0.1'],
    ['app:s3cret@127.0.0.1:5432', 'app:****@127.0.0.1:5432'],
    ['postgres:app:s3cret@db/app', 'postgres:****@db/app'],
    ['nats://user@x:s3cret@127.0.0.1:4222?x=1', 'nats://user@x:****@127.0.0.1:4222?x=1'],
    ['bad URL "app:s3cret@db"', 'bad URL "app:****@db"'],
  ])('hides the password of %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text with colons and at-signs alone', () => {
    expect(redactSecrets('error: connect ECONNREFUSED 127.0.0.1:5432 at @startup/core')).toBe(
      'error: connect ECONNREFUSED 127.0.0.1:5432 at @startup/core',
    );
  });
});
