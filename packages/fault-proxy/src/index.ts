export type { FaultProxy, FaultProxyOptions } from './proxy.js';
export { createFaultProxy } from './proxy.js';
