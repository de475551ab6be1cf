import { describe, expect, it } from 'vitest';
import { render } from '../src/render.js';

const view = (conditions: string[]) => ({
  conditions: new Set(conditions),
  values: { name: 'orders' },
  inserts: { list: '  a\n  b' },
});

describe('render', () => {
  it('keeps an @if block when any of its names holds, in any comment syntax, and drops the directives', () => {
    const template = ['# @if redis|nats', 'kept', '# @end', '// @if mysql', 'dropped', '// @end', 'end'].join(
      '\n',
    );
    expect(render(template, view(['nats']))).toBe('kept\nend');
  });

  it('keeps a negated block when the name does not hold, and nests blocks', () => {
    const template = ['<!-- @if !redis -->', 'a', '// @if nats', 'b', '// @end', '<!-- @end -->'].join('\n');
    expect(render(template, view([]))).toBe('a');
    expect(render(template, view(['nats']))).toBe('a\nb');
    expect(render(template, view(['redis', 'nats']))).toBe('');
  });

  it('fills values in and replaces insert lines', () => {
    expect(render('name: {{name}}-{{name}}\n  // @insert list', view([]))).toBe(
      'name: orders-orders\n  a\n  b',
    );
  });

  it('throws on a template error: unknown value or insert, unbalanced blocks', () => {
    expect(() => render('{{nope}}', view([]), 'x.js')).toThrow('x.js:1: unknown value "{{nope}}"');
    expect(() => render('// @insert nope', view([]))).toThrow(/unknown insert/);
    expect(() => render('// @if a', view([]))).toThrow(/@if without @end/);
    expect(() => render('// @end', view([]))).toThrow(/@end without @if/);
  });
});
