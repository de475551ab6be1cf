import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/error-codes.js';

const root = new URL('../../../', import.meta.url).pathname;

/** Every TypeScript file under `dir`, node_modules and builds left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = [...sources(join(root, 'packages')), ...sources(join(root, 'apps'))];
const isTest = (path: string) => /\.test(-d)?\.ts$/.test(path);
const read = (path: string) => readFileSync(path, 'utf8');
const raisers = files
  .filter((f) => !isTest(f) && !f.endsWith('error-codes.ts') && f.includes('/src/'))
  .map(read);
const tests = files
  .filter(isTest)
  .filter((f) => !f.endsWith('error-codes.test.ts'))
  .map(read);

describe('the error-code registry', () => {
  it.each(Object.keys(errorCodes))('%s is raised by some source and asserted by some test', (code) => {
    expect(
      raisers.some((text) => text.includes(`'${code}'`)),
      `no source raises ${code}`,
    ).toBe(true);
    expect(
      tests.some((text) => text.includes(code)),
      `no test asserts ${code}`,
    ).toBe(true);
  });

  it('lists every code core and the monitor raise', () => {
    // Applications raise codes of their own (the sample's STARTUP_ERR_MIGRATION): only the libraries are listed.
    const libraries = files
      .filter((f) => !isTest(f) && /\/packages\/(core|monitor)\/src\//.test(f))
      .map(read);
    const used = new Set(libraries.join('\n').match(/'STARTUP_(?:ERR|WARN)_[A-Z_]+'/g));
    const connectors = /^'STARTUP_ERR_(POSTGRES|REDIS|NATS)_/;
    const unlisted = [...used].map((q) => q.slice(1, -1)).filter((c) => !connectors.test(`'${c}`));
    expect(unlisted.filter((code) => !(code in errorCodes)).sort()).toEqual([]);
  });
});
