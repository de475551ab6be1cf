export type { PostgresErrorClass, PostgresErrorCode } from './classify-error.js';
export { classifyPostgresError, toPostgresError } from './classify-error.js';
export type { ManagedPgField, PostgresOptions } from './options.js';
export { postgresDefaults } from './options.js';
export { postgres } from './plugin.js';
