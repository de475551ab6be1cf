/** What a template is filled in with. */
export interface TemplateView {
  /** The names that hold: each chosen connector, the framework, the package manager. */
  readonly conditions: ReadonlySet<string>;
  /** Replaces `{{key}}` anywhere in a line. */
  readonly values: Readonly<Record<string, string>>;
  /** Replaces a whole `@insert key` line with these lines. */
  readonly inserts: Readonly<Record<string, string>>;
}

// A directive is a line of its own, in the file's comment syntax: `// @if postgres|redis`, `# @end`,
// `<!-- @insert variables -->`. No nested quantifiers: linear on any line.
const directive = /^\s*(?:\/\/|#|<!--)\s*@(if|end|insert)\b\s*([\w|!-]*)/;

/**
 * Fills a template in. `@if a|b` … `@end` keeps its lines when any of the names holds (`!a`: when `a` does not);
 * blocks nest. Directive lines are dropped. An unbalanced block or an unknown insert or value throws: a template
 * error is a bug of this package, never the user's.
 */
export function render(template: string, view: TemplateView, file = 'template'): string {
  const out: string[] = [];
  const open: boolean[] = [];
  const lines = template.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = directive.exec(line);
    const keeping = open.every(Boolean);
    if (match?.[1] === 'if') {
      open.push(holds(match[2] ?? '', view.conditions));
    } else if (match?.[1] === 'end') {
      if (open.pop() === undefined) throw new Error(`${file}:${index + 1}: @end without @if`);
    } else if (match?.[1] === 'insert') {
      const inserted = view.inserts[match[2] ?? ''];
      if (inserted === undefined) throw new Error(`${file}:${index + 1}: unknown insert "${match[2]}"`);
      if (keeping && inserted !== '') out.push(inserted);
    } else if (keeping) {
      out.push(fill(line, view.values, `${file}:${index + 1}`));
    }
  }
  if (open.length > 0) throw new Error(`${file}: @if without @end`);
  return out.join('\n');
}

/** Whether `condition` (`a|b`: any of them; `!a`: not `a`) holds for `names`. */
export function holds(condition: string, names: ReadonlySet<string>): boolean {
  return condition
    .split('|')
    .some((name) => (name.startsWith('!') ? !names.has(name.slice(1)) : names.has(name)));
}

function fill(line: string, values: Readonly<Record<string, string>>, where: string): string {
  let result = '';
  let rest = line;
  for (let start = rest.indexOf('{{'); start !== -1; start = rest.indexOf('{{')) {
    const end = rest.indexOf('}}', start);
    if (end === -1) break;
    const key = rest.slice(start + 2, end);
    const value = values[key];
    if (value === undefined) throw new Error(`${where}: unknown value "{{${key}}}"`);
    result += rest.slice(0, start) + value;
    rest = rest.slice(end + 2);
  }
  return result + rest;
}
