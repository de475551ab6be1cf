// Applications: createProbeHandler, attachProbes, serveProbes and their options. Adapters to other frameworks
// (as @startup/fastify is): createProbeRoutes, gracefulShutdown, closeHttpServers, startupPage.
export type { AttachedProbes, AttachProbesOptions } from './attach-probes.js';
export { attachProbes } from './attach-probes.js';
export type { ProbePhase } from './phase.js';
export type { NextFunction, ProbeHandler } from './probe-handler.js';
export { createProbeHandler } from './probe-handler.js';
export type {
  ProbedApp,
  ProbeOptions,
  ProbePaths,
  ProbeRoute,
  ResolvedProbeOptions,
} from './probe-options.js';
export { probeDefaults } from './probe-options.js';
export type { ProbeResponse, ProbeRoutes } from './probe-routes.js';
export { createProbeRoutes } from './probe-routes.js';
export type { ServedProbes, ServeProbesOptions } from './serve-probes.js';
export { serveProbes } from './serve-probes.js';
export type { GracefulShutdown, ServerCloser, ShutdownOptions, StoppableApp } from './shutdown.js';
export { closeHttpServers, gracefulShutdown, shutdownOptionKeys } from './shutdown.js';
export type { StartupPageInput } from './startup-page.js';
export { startupPage, startupPageHeaders } from './startup-page.js';
