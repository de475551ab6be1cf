import { describe, expect, it } from 'vitest';
import { painter, stripAnsi, supportsColor } from './terminal-color.js';

describe('supportsColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  const term = { TERM: 'xterm-256color' };

  it('colours a terminal and not a pipe', () => {
    expect(supportsColor({ stream: tty, env: term })).toBe(true);
    expect(supportsColor({ stream: pipe, env: term })).toBe(false);
    expect(supportsColor({ stream: {}, env: term })).toBe(false);
  });

  it('asks the terminal type how many colours it has, as Node does', () => {
    expect(supportsColor({ stream: tty, env: { TERM: 'xterm' } })).toBe(true);
    expect(supportsColor({ stream: tty, env: { COLORTERM: 'truecolor' } })).toBe(true);
    expect(supportsColor({ stream: tty, env: {} })).toBe(false);
  });

  it('turns colour off for a non-empty NO_COLOR, NODE_DISABLE_COLORS and TERM=dumb', () => {
    expect(supportsColor({ stream: tty, env: { ...term, NO_COLOR: '1' } })).toBe(false);
    expect(supportsColor({ stream: tty, env: { ...term, NO_COLOR: '' } })).toBe(true);
    expect(supportsColor({ stream: tty, env: { ...term, NODE_DISABLE_COLORS: '1' } })).toBe(false);
    expect(supportsColor({ stream: tty, env: { TERM: 'dumb' } })).toBe(false);
  });

  it('lets FORCE_COLOR decide before anything else', () => {
    expect(supportsColor({ stream: pipe, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).toBe(true);
    expect(supportsColor({ stream: pipe, env: { FORCE_COLOR: '' } })).toBe(true);
    expect(supportsColor({ stream: pipe, env: { FORCE_COLOR: '3' } })).toBe(true);
    expect(supportsColor({ stream: tty, env: { ...term, FORCE_COLOR: '0' } })).toBe(false);
    expect(supportsColor({ stream: tty, env: { ...term, FORCE_COLOR: 'false' } })).toBe(false);
  });
});

describe('painter', () => {
  it('wraps text in ANSI styles when enabled and leaves it alone otherwise', () => {
    expect(painter(true)('x', 'bold', 'red')).toBe('\u001b[1m\u001b[31mx\u001b[39m\u001b[22m');
    expect(painter(true)('', 'bold')).toBe('');
    expect(painter(false)('x', 'bold', 'red')).toBe('x');
    expect(stripAnsi(painter(true)('x', 'green'))).toBe('x');
  });

  // The test runner's stdout is a pipe: on Node 22, util.styleText would drop the styles unless told not to check.
  it('styles whatever the process stdout is: the caller decided', () => {
    expect(painter(true)('x', 'red')).toBe('\u001b[31mx\u001b[39m');
  });
});
