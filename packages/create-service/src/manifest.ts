import type { ServiceChoices } from './choices.js';
import { connectors } from './connectors.js';
import { CreateServiceError } from './errors.js';
import { frameworks } from './frameworks.js';
import type { Release } from './release.js';

/** The @startup/* packages a service made of `choices` depends on: core, the monitor, its framework's and its connectors'. */
export function ourPackages(choices: Pick<ServiceChoices, 'connectors' | 'framework'>): string[] {
  const framework = frameworks.find((f) => f.name === choices.framework);
  return [
    '@startup/core',
    '@startup/monitor',
    ...(framework ? [framework.package] : []),
    ...connectors.filter((c) => choices.connectors.includes(c.name)).map((c) => c.package),
  ];
}

/**
 * The generated `package.json`: the chosen packages at this release's versions (`^`), and the peers they need at
 * the ranges they declare (optional peers left out unless the generated code uses them), sorted; `start` runs the service, `test` its tests with
 * Node's own runner, so plain npm needs nothing else.
 */
export function serviceManifest(choices: ServiceChoices, release: Release): string {
  const dependencies: Record<string, string> = {};
  const used = new Set(
    connectors.filter((c) => choices.connectors.includes(c.name)).flatMap((c) => c.optionalPeersUsed ?? []),
  );
  for (const name of ourPackages(choices)) {
    const pkg = release[name];
    if (pkg === undefined) {
      throw new CreateServiceError('CREATE_ERR_NO_RELEASE', `the release given has no version of ${name}`);
    }
    dependencies[name] = `^${pkg.version}`;
    for (const [peer, range] of Object.entries(pkg.peerDependencies)) {
      if (peer.startsWith('@startup/') || (pkg.optionalPeers.includes(peer) && !used.has(peer))) continue;
      dependencies[peer] = range;
    }
  }
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  const manifest = {
    name: choices.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '^20.19.0 || ^22.12.0 || ^24.0.0 || ^26.0.0' },
    scripts: { start: 'node src/main.js', test: 'node --test' },
    dependencies: sorted,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
