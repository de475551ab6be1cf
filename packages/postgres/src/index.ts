export type {
  ClassifyOptions,
  PostgresErrorClass,
  PostgresErrorCode,
  StartupErrorContext,
} from './classify-error.js';
export {
  classifyPostgresError,
  postgresErrorCodes,
  postgresStartupError,
  toPostgresError,
} from './classify-error.js';
export type {
  ManagedPgField,
  ManagedPostgresOption,
  PostgresOptions,
  PostgresPluginOptions,
} from './options.js';
export type { PostgresPlugin, PostgresResource } from './plugin.js';
export { postgres } from './plugin.js';
export type { ResolvedPostgresOptions } from './resolve-options.js';
export { resolvePostgresOptions } from './resolve-options.js';
export { postgresDefaults, postgresOptionSchema } from './schema.js';
