import { describe, expect, it } from 'vitest';
import { apiKeyMatcher } from './api-key.js';

describe('the API key check', () => {
  const matches = apiKeyMatcher('correct-key-0123456789');

  it('accepts the key and nothing else, whatever the length', () => {
    expect(matches('correct-key-0123456789')).toBe(true);
    for (const other of [
      undefined,
      '',
      'c',
      'correct-key-012345678',
      'correct-key-01234567890',
      'x'.repeat(10_000),
    ]) {
      expect(matches(other)).toBe(false);
    }
  });
});
