export type {
  ClassifyOptions,
  HttpServiceErrorClass,
  HttpServiceErrorCode,
  StartupErrorContext,
} from './classify-error.js';
export {
  classifyHttpServiceError,
  HttpStatusError,
  httpServiceErrorCodes,
  httpServiceStartupError,
} from './classify-error.js';
export type { ExpectedStatus, HttpServicePluginOptions } from './options.js';
export type { HttpServicePlugin, HttpServiceResource } from './plugin.js';
export { httpService } from './plugin.js';
export type { ResolvedHttpServiceOptions } from './resolve-options.js';
export { resolveHttpServiceOptions } from './resolve-options.js';
export { httpServiceDefaults, httpServiceOptionSchema } from './schema.js';
export type { HttpService } from './upstream.js';
