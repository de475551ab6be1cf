export type {
  ClassifyOptions,
  RedisErrorClass,
  RedisErrorCode,
  StartupErrorContext,
} from './classify-error.js';
export { classifyRedisError, redisErrorCodes, redisStartupError } from './classify-error.js';
export type {
  ManagedIoredisOption,
  ManagedRedisOption,
  RedisPluginOptions,
} from './options.js';
export type { RedisPlugin, RedisResource } from './plugin.js';
export { redis } from './plugin.js';
export type { ResolvedRedisOptions } from './resolve-options.js';
export { resolveRedisOptions } from './resolve-options.js';
export { redisDefaults, redisOptionSchema } from './schema.js';
