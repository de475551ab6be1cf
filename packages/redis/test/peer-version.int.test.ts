import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

// The peer matrix swaps ioredis for another installed major; this proves the swap really happened.
const installedAs = process.env.STARTUP_PEER_PACKAGE ?? 'ioredis';
const require = createRequire(new URL('../package.json', import.meta.url));
const entry = require.resolve(installedAs);
const manifest = JSON.parse(readFileSync(require.resolve(`${installedAs}/package.json`), 'utf8')) as {
  version: string;
};

describe('the ioredis these tests run against', () => {
  it('is the package and major this test project names', () => {
    expect((require(entry) as { Redis: unknown }).Redis).toBe(Redis);
    expect(manifest.version.split('.')[0]).toBe(process.env.STARTUP_PEER_MAJOR ?? '5');
  });
});
