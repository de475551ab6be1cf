export type {
  ClassifyOptions,
  NatsErrorClass,
  NatsErrorCode,
  StartupErrorContext,
} from './classify-error.js';
export { classifyNatsError, natsErrorCodes, natsStartupError } from './classify-error.js';
export type { JetStreamHandles } from './jetstream.js';
export type {
  ManagedNatsOption,
  NatsJetStreamOptions,
  NatsPluginOptions,
  NodeTlsOptions,
} from './options.js';
export type { NatsPlugin } from './plugin.js';
export { nats } from './plugin.js';
export type { ResolvedJetStreamOptions, ResolvedNatsOptions } from './resolve-options.js';
export { resolveNatsOptions } from './resolve-options.js';
export type { NatsJetStreamResource, NatsResource } from './resource.js';
export { natsDefaults, natsOptionSchema } from './schema.js';
