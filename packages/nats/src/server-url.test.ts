import { isStartupError } from '@startup/core';
import { describe, expect, it } from 'vitest';
import { parseServer, safe, splitServers } from './server-url.js';

function rejection(raw: unknown): { code: string; message: string } {
  try {
    parseServer(raw, 'servers[0]', 'nats');
  } catch (error) {
    if (isStartupError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected parseServer to throw');
}

describe('parseServer', () => {
  it('reads host:port without a scheme as nats://', () => {
    expect(parseServer('10.0.0.5:4223', 'servers')).toEqual({
      hostPort: '10.0.0.5:4223',
      port: 4223,
      display: 'nats://10.0.0.5:4223',
      tls: false,
    });
  });

  it('defaults the port to 4222', () => {
    expect(parseServer('nats://bus.internal', 'servers')).toMatchObject({
      hostPort: 'bus.internal:4222',
      port: 4222,
    });
  });

  it('marks tls:// servers as requiring TLS', () => {
    expect(parseServer('tls://bus:4443', 'servers')).toMatchObject({ tls: true, display: 'tls://bus:4443' });
  });

  it('keeps IPv6 addresses bracketed', () => {
    expect(parseServer('nats://[::1]:4222', 'servers').hostPort).toBe('[::1]:4222');
  });

  it('takes user and password from the URL and leaves them out of the display', () => {
    const server = parseServer('nats://app:s%40cret@bus:4222', 'servers');
    expect(server).toMatchObject({ user: 'app', pass: 's@cret', display: 'nats://bus:4222' });
  });

  it('takes a lone user part as a token, like the Go and Python clients', () => {
    expect(parseServer('nats://t0ken@bus', 'servers')).toMatchObject({
      token: 't0ken',
      hostPort: 'bus:4222',
    });
  });

  it('accepts a trailing slash', () => {
    expect(parseServer('nats://bus:4222/', 'servers').hostPort).toBe('bus:4222');
  });

  it.each([
    ['http://bus:4222', 'scheme'],
    ['redis://bus:6379', 'scheme'],
    ['ws://bus:8080', 'WebSocket'],
    ['wss://bus:443', 'WebSocket'],
    ['nats://bus:0', 'port'],
    ['nats://bus:70000', 'expected'],
    ['nats://bus:abc', 'expected'],
    ['nats://bus/stream', 'path'],
    ['nats://bus?x=1', 'path'],
    ['', 'expected'],
    ['   ', 'expected'],
  ])('rejects %j with STARTUP_ERR_INVALID_OPTION naming the field', (raw, words) => {
    const { code, message } = rejection(raw);
    expect(code).toBe('STARTUP_ERR_INVALID_OPTION');
    expect(message).toContain('"servers[0]"');
    expect(message).toContain('plugin "nats"');
    expect(message).toContain(words);
  });

  it('rejects a value that is not a string', () => {
    expect(rejection(4222).code).toBe('STARTUP_ERR_INVALID_OPTION');
  });

  it('never shows a password or a token of a rejected URL', () => {
    expect(rejection('http://app:hunter2@bus:4222').message).not.toContain('hunter2');
    expect(rejection('http://t0psecret@bus:4222').message).not.toContain('t0psecret');
    expect(rejection('nats://app:hunter2@bus:99999').message).not.toContain('hunter2');
  });
});

describe('safe', () => {
  it('masks everything between the scheme and the @', () => {
    expect(safe('nats://u:p@h:1')).toBe('nats://****@h:1');
    expect(safe('tok@h:1')).toBe('****@h:1');
    expect(safe('nats://h:1')).toBe('nats://h:1');
  });
});

describe('splitServers', () => {
  it('splits a list at its commas', () => {
    expect(splitServers('nats://a:4222, nats://b:4223,c')).toEqual(['nats://a:4222', ' nats://b:4223', 'c']);
  });

  it('keeps commas inside credentials', () => {
    expect(splitServers('nats://u:S3cr,etPW@127.0.0.1:4222')).toEqual(['nats://u:S3cr,etPW@127.0.0.1:4222']);
    expect(splitServers('nats://u:a,b,c@h1,nats://u:a,b,c@h2')).toEqual([
      'nats://u:a,b,c@h1',
      'nats://u:a,b,c@h2',
    ]);
    expect(splitServers('nats://to,ken@h')).toEqual(['nats://to,ken@h']);
  });

  it('reads a list whose later entries carry credentials as a list', () => {
    expect(splitServers('a:4222,u:p@b:4222')).toEqual(['a:4222', 'u:p@b:4222']);
    expect(splitServers('nats://a:4222,b:4222,tok@c:4222')).toEqual([
      'nats://a:4222',
      'b:4222',
      'tok@c:4222',
    ]);
    expect(splitServers('[::1]:4222,u:p@[::1]:4223')).toEqual(['[::1]:4222', 'u:p@[::1]:4223']);
  });

  it('starts a new entry at every scheme, with or without credentials', () => {
    expect(splitServers('nats://a,nats://u:p@b')).toEqual(['nats://a', 'nats://u:p@b']);
    expect(splitServers('nats://u:p@a,u:p@b')).toEqual(['nats://u:p@a', 'u:p@b']);
  });
});
