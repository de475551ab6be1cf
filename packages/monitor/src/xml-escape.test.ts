import { describe, expect, it } from 'vitest';
import { escapeXml } from './xml-escape.js';

describe('escapeXml', () => {
  it('turns the five special characters into entities', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('drops characters XML 1.0 forbids and keeps tabs, newlines and astral characters', () => {
    expect(escapeXml('a\u0000b\u001bc\ufffe\td\ne')).toBe('abc\td\ne');
    expect(escapeXml('x\ud800y\udc00z')).toBe('xyz');
    expect(escapeXml('rocket 🚀')).toBe('rocket 🚀');
  });
});
