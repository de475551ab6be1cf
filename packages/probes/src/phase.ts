import type { StartupState } from '@startup/core';

/** Where the service is in its life, as the probes report it (`phase` of every probe body). */
export type ProbePhase = 'starting' | 'started' | 'stopping' | 'failed';

/**
 * The phase of an application in `state`: `stopping` as soon as a drain began (readiness fails from then on,
 * before the application itself is told to stop), otherwise what the application's own state says.
 */
export function phaseOf(state: StartupState, draining: boolean): ProbePhase {
  if (draining) return 'stopping';
  switch (state) {
    case 'ready':
    case 'degraded':
      return 'started';
    case 'failed':
      return 'failed';
    case 'stopping':
    case 'stopped':
      return 'stopping';
    default:
      return 'starting';
  }
}
