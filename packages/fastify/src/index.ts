export type { StartupDecoration, StartupPluginOptions } from './startup-plugin.js';
export { startupPlugin } from './startup-plugin.js';
