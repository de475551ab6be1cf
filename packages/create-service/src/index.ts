// The generator as a library: what `create-service` does, for tools that write a service without the command.

export { usage } from './arguments.js';
export type { ServiceChoices } from './choices.js';
export { type CommandIo, runCommand } from './cli.js';
// The catalogue of choices.
export {
  type Connector,
  type ConnectorName,
  connectorNames,
  connectors,
  type ServiceVariable,
  serviceVariables,
} from './connectors.js';
export { type CreatedService, type CreateServiceOptions, createService } from './create-service.js';
// Errors.
export { CreateServiceError, type CreateServiceErrorCode, createServiceErrorCodes } from './errors.js';
export {
  type Framework,
  type FrameworkName,
  frameworks,
  type PackageManager,
  packageManagers,
} from './frameworks.js';
export type { Release, ReleasePackage } from './release.js';
export { serviceFiles, variablesOf } from './service-files.js';
