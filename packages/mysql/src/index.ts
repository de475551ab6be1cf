export type {
  ClassifyOptions,
  MysqlErrorClass,
  MysqlErrorCode,
  StartupErrorContext,
} from './classify-error.js';
export { classifyMysqlError, mysqlErrorCodes, mysqlStartupError } from './classify-error.js';
export type { ManagedMysqlField, ManagedMysqlOption, MysqlPluginOptions } from './options.js';
export type { MysqlPlugin, MysqlResource } from './plugin.js';
export { mysql } from './plugin.js';
export type { ResolvedMysqlOptions } from './resolve-options.js';
export { resolveMysqlOptions } from './resolve-options.js';
export { mysqlDefaults, mysqlOptionSchema } from './schema.js';
