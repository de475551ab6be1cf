/** How a generated service serves its routes and probes. */
export type FrameworkName = 'fastify' | 'node-http';

/** A framework integration: the package that brings the probes and drain to it. */
export interface Framework {
  /** The name `--framework` accepts. */
  readonly name: FrameworkName;
  /** The @startup/* package of the integration. */
  readonly package: string;
  /** For the prompt and the README. */
  readonly title: string;
}

/** Both integrations; Fastify is the default, as in the sample. */
export const frameworks: readonly Framework[] = [
  { name: 'fastify', package: '@startup/fastify', title: 'Fastify 5 with @startup/fastify' },
  { name: 'node-http', package: '@startup/probes', title: 'plain node:http with @startup/probes' },
];

/** The package managers a generated README's commands are written for. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** Every package manager `--package-manager` accepts. */
export const packageManagers: readonly PackageManager[] = ['npm', 'pnpm', 'yarn'];

/**
 * The package manager that ran the initializer, from `npm_config_user_agent` (`pnpm/10.… npm/? node/…`, which
 * npm, pnpm and yarn all set); npm when none is recognised.
 */
export function packageManagerOf(userAgent: string | undefined): PackageManager {
  const first = userAgent?.split('/')[0];
  return packageManagers.find((manager) => manager === first) ?? 'npm';
}
