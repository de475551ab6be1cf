import { describe, expect, it } from 'vitest';
import { errorText } from './error-text.js';

describe('errorText', () => {
  it('puts the code before a message that does not contain it', () => {
    expect(errorText({ code: '28P01', name: 'error', message: 'password authentication failed' })).toBe(
      '28P01: password authentication failed',
    );
    expect(
      errorText({ code: 'ECONNREFUSED', name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432' }),
    ).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('makes one line of a multi-line message and falls back to the name', () => {
    expect(errorText({ name: 'Error', message: 'first\n  second' })).toBe('first second');
    expect(errorText({ name: 'TimeoutError', message: '' })).toBe('TimeoutError');
    expect(errorText(undefined)).toBe('unknown error');
  });
});
