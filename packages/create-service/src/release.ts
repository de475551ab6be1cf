import { connectors } from './connectors.js';
import { frameworks } from './frameworks.js';

/** One package of this release: its version and the peers its package.json declares. */
export interface ReleasePackage {
  /** Its version in this release, e.g. `0.1.0`. */
  readonly version: string;
  /** Its peer ranges as declared (`workspace:` ranges of our own packages included). */
  readonly peerDependencies: Readonly<Record<string, string>>;
  /** The peers its package.json marks optional. */
  readonly optionalPeers: readonly string[];
}

/** The @startup/* packages a generated service can depend on, by name, as built together with this package. */
export type Release = Readonly<Record<string, ReleasePackage>>;

/** Every package a generated service may depend on: core, the monitor, each framework and each connector. */
export const releasePackages: readonly string[] = [
  '@startup/core',
  '@startup/monitor',
  ...frameworks.map((framework) => framework.package),
  ...connectors.map((connector) => connector.package),
];

declare const __STARTUP_RELEASE__: Release | undefined;

/** This release, written into the build; `undefined` when the sources run unbuilt (pass a release then). */
export const builtRelease: Release | undefined =
  typeof __STARTUP_RELEASE__ === 'undefined' ? undefined : __STARTUP_RELEASE__;
