import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const guide = readFileSync(new URL('docs/writing-a-connector.md', root), 'utf8');
// A block ends at a fence on a line of its own: the code may hold fences in its JSDoc (` * ```ts`).
const blocks = [...guide.matchAll(/<!-- source: (\S+)(?: lines (\d+)-(\d+))? -->\n```ts\n([\s\S]*?)^```$/gm)];

describe('docs/writing-a-connector.md', () => {
  it('shows the code of a real connector', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    // Every code block of the guide is one of them: none is written for the guide alone.
    expect(guide.match(/^```ts$/gm)).toHaveLength(blocks.length);
  });

  it.each(blocks.map((b) => [`${b[1]}${b[2] ? ` lines ${b[2]}-${b[3]}` : ''}`, b] as const))(
    'shows %s exactly as the repository has it',
    (_where, [, path, from, to, shown]) => {
      const text = readFileSync(new URL(path!, root), 'utf8');
      const expected =
        from === undefined
          ? text
          : `${text
              .split('\n')
              .slice(Number(from) - 1, Number(to))
              .join('\n')}\n`;
      expect(shown).toBe(expected);
    },
  );
});

// The guide's claim that every connector is the same template filled in, checked on each connector's index:
// the template's names (`<x>Defaults`, `resolve<X>Options`, `<X>Plugin`, `<X>Resource`…), exported from the same
// files in the same order. A connector may export more; none may lack one.
const connectors = [
  ['postgres', 'postgres'],
  ['redis', 'redis'],
  ['nats', 'nats'],
  ['mysql', 'mysql'],
  ['amqp', 'amqp'],
  ['mqtt', 'mqtt'],
  ['http', 'httpService'],
] as const;

/** Each `export { … } from './file.js'` of `source` as [file, names], in order (`type` markers dropped). */
function exportGroups(source: string): [string, string[]][] {
  return [...source.matchAll(/^export (type )?\{([^}]*)\} from '\.\/([\w-]+)\.js';$/gm)].map(
    ([, type, names, file]) => [
      `${file}${type ? ' (types)' : ''}`,
      names!
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ],
  );
}

describe('every connector index', () => {
  it.each(connectors)('packages/%s names what the template names', (pkg, x) => {
    const X = x[0]!.toUpperCase() + x.slice(1);
    const groups = exportGroups(readFileSync(new URL(`packages/${pkg}/src/index.ts`, root), 'utf8'));
    const template: [string, string[]][] = [
      [
        'classify-error (types)',
        ['ClassifyOptions', `${X}ErrorClass`, `${X}ErrorCode`, 'StartupErrorContext'],
      ],
      ['classify-error', [`classify${X}Error`, `${x}ErrorCodes`, `${x}StartupError`]],
      ['options (types)', [`${X}PluginOptions`]],
      ['plugin (types)', [`${X}Plugin`, `${X}Resource`]],
      ['plugin', [x]],
      ['resolve-options (types)', [`Resolved${X}Options`]],
      ['resolve-options', [`resolve${X}Options`]],
      ['schema', [`${x}Defaults`, `${x}OptionSchema`]],
    ];
    // Where a name lives elsewhere (nats' resources have a file of their own), it is looked for in every group.
    const all = groups.flatMap(([, names]) => names);
    const missing = template.flatMap(([, names]) => names).filter((name) => !all.includes(name));
    expect(missing).toEqual([]);
    const order = groups.map(([file]) => file).filter((file) => template.some(([group]) => group === file));
    expect(order).toEqual(template.map(([group]) => group));
  });
});
