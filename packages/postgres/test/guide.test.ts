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
