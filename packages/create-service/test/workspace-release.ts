import { readFileSync } from 'node:fs';
import type { Release } from '../src/release.js';
import { releasePackages } from '../src/release.js';

/** The release as the build writes it, read from the packages of this checkout (the sources run unbuilt). */
export function workspaceRelease(): Release {
  return Object.fromEntries(
    releasePackages.map((name) => {
      const url = new URL(`../../${name.slice('@startup/'.length)}/package.json`, import.meta.url);
      const manifest = JSON.parse(readFileSync(url, 'utf8'));
      const meta: Record<string, { optional?: boolean }> = manifest.peerDependenciesMeta ?? {};
      return [
        name,
        {
          version: manifest.version,
          peerDependencies: manifest.peerDependencies ?? {},
          optionalPeers: Object.keys(meta).filter((peer) => meta[peer]?.optional === true),
        },
      ];
    }),
  );
}
