import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every TypeScript file under `dir`, node_modules and builds left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const isTest = (path: string) => /\.test(-d)?\.ts$/.test(path);

/**
 * The codes of a registry that no source raises (a quoted `'CODE'` in a file under a `src/` of `dirs`; the registry
 * declares its codes as unquoted keys, so it does not count) and those no test (a `*.test.ts` under `dirs`) mentions.
 */
export function unprovenCodes(
  codes: readonly string[],
  dirs: readonly string[],
): { notRaised: string[]; notAsserted: string[] } {
  const files = dirs.flatMap(sources);
  const read = (path: string) => readFileSync(path, 'utf8');
  const raisers = files
    .filter((f) => !isTest(f) && f.includes('/src/'))
    .map(read)
    .join('\n');
  const tests = files.filter(isTest).map(read).join('\n');
  return {
    notRaised: codes.filter((code) => !raisers.includes(`'${code}'`)),
    notAsserted: codes.filter((code) => !tests.includes(code)),
  };
}
