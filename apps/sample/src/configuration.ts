// The sample's configuration for code outside the app, as `@startup/sample/configuration` (the reliability
// suite feeds it hostile environments): every variable the app reads, and loadSample, which validates an
// environment (the connectors' options included) without connecting to anything.
export type { ConfigVariable } from './config-variables.js';
export { configVariables } from './config-variables.js';
export { loadSample } from './load-sample.js';
