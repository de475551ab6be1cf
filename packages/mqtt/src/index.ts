export type {
  ClassifyOptions,
  MqttErrorClass,
  MqttErrorCode,
  StartupErrorContext,
} from './classify-error.js';
export { classifyMqttError, mqttErrorCodes, mqttStartupError } from './classify-error.js';
export type { ManagedMqttOption, MqttPluginOptions } from './options.js';
export type { MqttPlugin, MqttResource } from './plugin.js';
export { mqtt } from './plugin.js';
export type { ResolvedMqttOptions } from './resolve-options.js';
export { resolveMqttOptions } from './resolve-options.js';
export { mqttDefaults, mqttOptionSchema } from './schema.js';
