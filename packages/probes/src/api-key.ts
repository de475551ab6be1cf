import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks a presented API key against the expected one in constant time. Both are hashed with SHA-256
 * first, so the comparison always runs over 32 bytes and neither the key's length nor the position of
 * the first differing character leaks through timing. A missing key never matches.
 */
export function apiKeyMatcher(expected: string): (presented: string | undefined) => boolean {
  const want = digest(expected);
  return (presented) => {
    if (presented === undefined) return false;
    return timingSafeEqual(digest(presented), want);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
