import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSection } from '../scripts/doc-section.mjs';

const doc = '# Doc\n<!-- table:start -->\nold\n<!-- table:end -->\n';

async function tempDoc(): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'doc-section-')), 'reliability.md');
  await writeFile(file, doc);
  return file;
}

describe('recordSection', () => {
  it('leaves the document untouched in a default test run', async () => {
    const file = await tempDoc();
    expect(await recordSection('table', 'new', { file, env: {} })).toBe(false);
    expect(await recordSection('table', 'new', { file, env: { STARTUP_WRITE_DOCS: '0' } })).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(doc);
  });

  it('rewrites the section with STARTUP_WRITE_DOCS=1', async () => {
    const file = await tempDoc();
    expect(await recordSection('table', 'new', { file, env: { STARTUP_WRITE_DOCS: '1' } })).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('# Doc\n<!-- table:start -->\nnew\n<!-- table:end -->\n');
  });
});
