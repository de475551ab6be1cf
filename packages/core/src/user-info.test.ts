import { describe, expect, it } from 'vitest';
import { invalidOption } from './errors.js';
import { redactUrl } from './redact.js';
import { hideUserInfo } from './user-info.js';

describe('hideUserInfo', () => {
  it('hides everything before the last @, keeping a leading scheme', () => {
    expect(hideUserInfo('postgres://app:p@ss@db:5432/app')).toBe('postgres://****@db:5432/app');
    expect(hideUserInfo('app:pw@db')).toBe('****@db');
    expect(hideUserInfo('x://:@')).toBe('x://****@');
  });

  it('leaves text without an @ alone', () => {
    expect(hideUserInfo('redis://cache:6379')).toBe('redis://cache:6379');
    expect(hideUserInfo('')).toBe('');
  });

  it('is what redactUrl and invalidOption use for text too broken to parse as a URL', () => {
    const broken = 'postgres://app:se cret@@db:99999/app';
    expect(redactUrl(broken)).toBe('postgres://****@db:99999/app');
    expect(invalidOption('url', 'a URL', broken).message).toContain('"postgres://****@db:99999/app"');
  });
});
