// @startup/core/plugin-kit: what a connector's author needs besides the root entry (definePlugin, StartupError,
// the plugin types). An application imports none of it.

export type { Limit } from './bounded.js';
export { bounded } from './bounded.js';
// Policies: a connector's own retry-like settings (a reconnection backoff), validated and computed as core does.
export { breakerPolicy } from './breaker.js';
// Client libraries: loaded in init, not at import.
export type { LibraryLoader } from './client-library.js';
export { loadClientLibrary } from './client-library.js';
// Close: a pool's graceful close bounded by a grace, then its connections destroyed.
export type { CloseGrace, ClosingConnections } from './close-grace.js';
export { closeWithGrace } from './close-grace.js';
// Errors: one classification shape, one redacting wrapper into a StartupError, the codes every client shares.
export type { ConnectorErrorContext, ErrorClass } from './error-class.js';
export { connectorError, errorCode } from './error-class.js';
export { errorCodes } from './error-codes.js';
export { invalidOption } from './errors.js';
// Calls and events: a client call bounded by a signal; a typed emitter whose subscriptions return a disposer.
export { Emitter } from './events.js';
export { tlsErrorCode, transientNetworkCodes } from './network-errors.js';
// Options: declared once per connector; the common plugin settings; the checkers behind every option.
export type {
  Accepted,
  DefaultsOf,
  OptionDoc,
  OptionDocs,
  OptionRow,
  OptionSchema,
} from './option-schema.js';
export { optionSchema } from './option-schema.js';
export { checkBoolean, checkPassThrough, checkSecret, checkString } from './option-strings.js';
export type { FieldContext, PolicyField } from './options.js';
export { checkDuration, checkInteger, checkKeys, checkNumber } from './options.js';
export type { PluginSettings } from './plugin-settings.js';
export { pluginSettingKeys, pluginSettings } from './plugin-settings.js';
export { redactSecrets, redactUrl } from './redact.js';
export { redactError } from './redact-error.js';
export { backoffDelay, retryPolicy } from './retry.js';
export { abortable } from './timeout.js';
