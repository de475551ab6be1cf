export type {
  AmqpErrorClass,
  AmqpErrorCode,
  ClassifyOptions,
  StartupErrorContext,
} from './classify-error.js';
export { amqpErrorCodes, amqpStartupError, classifyAmqpError } from './classify-error.js';
export type { AmqpPluginOptions } from './options.js';
export type { AmqpPlugin, AmqpResource } from './plugin.js';
export { amqp } from './plugin.js';
export type { ResolvedAmqpOptions } from './resolve-options.js';
export { resolveAmqpOptions } from './resolve-options.js';
export { amqpDefaults, amqpOptionSchema } from './schema.js';
