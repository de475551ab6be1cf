import { type ConnectorName, connectorNames } from './connectors.js';
import { CreateServiceError } from './errors.js';
import { type FrameworkName, frameworks, type PackageManager, packageManagers } from './frameworks.js';

/** What a generated service is made of. */
export interface ServiceChoices {
  /** Where the service is written; created if missing, refused if not empty. */
  readonly directory: string;
  /** The package name, `SERVICE_NAME`'s default and the name of the compose project and Kubernetes objects. */
  readonly name: string;
  /** The connectors, any subset, in catalogue order; none is a service with probes only. */
  readonly connectors: readonly ConnectorName[];
  /** `fastify` (the default) or `node-http`. */
  readonly framework: FrameworkName;
  /** The package manager the README's commands are written for. */
  readonly packageManager: PackageManager;
}

const dnsLabel = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `name` when it is a valid service name; else throws `CREATE_ERR_INVALID_NAME` naming what it accepts. */
export function checkName(name: string, source = '--name'): string {
  if (!dnsLabel.test(name)) {
    throw new CreateServiceError(
      'CREATE_ERR_INVALID_NAME',
      `${source} "${name}" is not a service name: a lowercase letter, then lowercase letters, digits or "-", at most 63, not ending in "-" (it names the package, the compose project and the Kubernetes objects)`,
    );
  }
  return name;
}

/**
 * The connectors of a comma-separated list (`postgres,redis`; empty or `none` for none), in catalogue order;
 * an unknown or repeated one throws `CREATE_ERR_INVALID_CONNECTOR`.
 */
export function parseConnectors(list: string, source = '--connectors'): ConnectorName[] {
  const given = list
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
  if (given.length === 1 && given[0] === 'none') return [];
  const seen = new Set<string>();
  for (const item of given) {
    if (!connectorNames.includes(item as ConnectorName)) {
      throw new CreateServiceError(
        'CREATE_ERR_INVALID_CONNECTOR',
        `${source}: "${item}" is not a connector; choose any of ${connectorNames.join(', ')} (comma-separated), or none`,
      );
    }
    if (seen.has(item)) {
      throw new CreateServiceError('CREATE_ERR_INVALID_CONNECTOR', `${source}: "${item}" is named twice`);
    }
    seen.add(item);
  }
  return connectorNames.filter((name) => seen.has(name));
}

/** The framework named `value`; else throws `CREATE_ERR_INVALID_FRAMEWORK`. */
export function parseFramework(value: string, source = '--framework'): FrameworkName {
  const found = frameworks.find((framework) => framework.name === value.trim().toLowerCase());
  if (found === undefined) {
    throw new CreateServiceError(
      'CREATE_ERR_INVALID_FRAMEWORK',
      `${source}: "${value}" is not a framework; choose ${frameworks.map((f) => f.name).join(' or ')}`,
    );
  }
  return found.name;
}

/** The package manager named `value`; else throws `CREATE_ERR_INVALID_PACKAGE_MANAGER`. */
export function parsePackageManager(value: string, source = '--package-manager'): PackageManager {
  const found = packageManagers.find((manager) => manager === value.trim().toLowerCase());
  if (found === undefined) {
    throw new CreateServiceError(
      'CREATE_ERR_INVALID_PACKAGE_MANAGER',
      `${source}: "${value}" is not a package manager; choose ${packageManagers.join(', ')}`,
    );
  }
  return found;
}
