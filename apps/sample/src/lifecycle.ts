/** Where the service is in its life, as the probes see it. */
export type Phase = 'starting' | 'started' | 'stopping' | 'failed';

/** The service's phase, shared by the probes and the shutdown. */
export interface Lifecycle {
  readonly phase: Phase;
  /** The start completed: readiness may pass. */
  started(): void;
  /** The start failed or was aborted. */
  failed(): void;
  /** Shutdown began: readiness fails from now on, whatever the services say. */
  stopping(): void;
}

/** A {@link Lifecycle} in the `starting` phase. Once stopping or failed, it never goes back. */
export function createLifecycle(): Lifecycle {
  let phase: Phase = 'starting';
  return {
    get phase() {
      return phase;
    },
    started() {
      if (phase === 'starting') phase = 'started';
    },
    failed() {
      if (phase === 'starting') phase = 'failed';
    },
    stopping() {
      phase = 'stopping';
    },
  };
}
