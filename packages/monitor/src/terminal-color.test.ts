import { describe, expect, it } from 'vitest';
import { painter, stripAnsi, supportsColor } from './terminal-color.js';

describe('supportsColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('colours a terminal and not a pipe', () => {
    expect(supportsColor({ stream: tty, env: {} })).toBe(true);
    expect(supportsColor({ stream: pipe, env: {} })).toBe(false);
    expect(supportsColor({ stream: {}, env: {} })).toBe(false);
  });

  it('turns colour off for a non-empty NO_COLOR and for TERM=dumb', () => {
    expect(supportsColor({ stream: tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(supportsColor({ stream: tty, env: { NO_COLOR: '' } })).toBe(true);
    expect(supportsColor({ stream: tty, env: { TERM: 'dumb' } })).toBe(false);
  });

  it('lets FORCE_COLOR decide before anything else', () => {
    expect(supportsColor({ stream: pipe, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).toBe(true);
    expect(supportsColor({ stream: pipe, env: { FORCE_COLOR: '' } })).toBe(true);
    expect(supportsColor({ stream: tty, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(supportsColor({ stream: tty, env: { FORCE_COLOR: 'false' } })).toBe(false);
  });
});

describe('painter', () => {
  it('wraps text in ANSI styles when enabled and leaves it alone otherwise', () => {
    expect(painter(true)('x', 'bold', 'red')).toBe('\u001b[1m\u001b[31mx\u001b[22m\u001b[39m');
    expect(painter(false)('x', 'bold', 'red')).toBe('x');
    expect(stripAnsi(painter(true)('x', 'green'))).toBe('x');
  });
});
