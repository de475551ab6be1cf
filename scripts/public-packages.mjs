// The packages of this repository: every package.json under packages/ and apps/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{ name, dir, manifest }` of every package under `root`, by name. */
function allPackages(root) {
  return ['packages', 'apps']
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `{ name, dir, manifest }` of each package under `root` that is published (not private), by name. */
export function publicPackages(root) {
  return allPackages(root).filter((pkg) => pkg.manifest.private !== true);
}
publicPackages.all = allPackages;
