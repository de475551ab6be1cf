import { readFileSync } from 'node:fs';
import { packageBuild } from '../../tsup.package.ts';
import { type ReleasePackage, releasePackages } from './src/release.ts';

interface Manifest {
  version: string;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

// The versions of this release, written into the build: a generated project depends on the @startup/* packages
// at the versions built beside this one, and on their peers at the ranges those packages declare. (They are
// devDependencies, so a change of their package.json rebuilds this package.)
const release = Object.fromEntries(
  releasePackages.map((name): [string, ReleasePackage] => {
    const url = new URL(`../${name.slice('@startup/'.length)}/package.json`, import.meta.url);
    const manifest = JSON.parse(readFileSync(url, 'utf8')) as Manifest;
    const optional = Object.entries(manifest.peerDependenciesMeta ?? {});
    return [
      name,
      {
        version: manifest.version,
        peerDependencies: manifest.peerDependencies ?? {},
        optionalPeers: optional.filter(([, meta]) => meta.optional === true).map(([peer]) => peer),
      },
    ];
  }),
);

// bin.ts starts with `#!/usr/bin/env node`: tsup keeps the shebang and makes dist/bin.js executable.
export default packageBuild({
  entry: ['src/index.ts', 'src/bin.ts'],
  define: { __STARTUP_RELEASE__: JSON.stringify(release) },
});
