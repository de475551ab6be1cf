import { describeError } from './errors.js';
import type { Disposer } from './events.js';

/** What {@link handleSignals} needs: anything with a `stop` like {@link Startup.stop}. */
export interface Stoppable {
  stop(options?: { reason?: string; force?: AbortSignal }): Promise<void>;
}

/** Options of {@link handleSignals}. */
export interface SignalOptions {
  /** Signals to handle. Defaults to `['SIGTERM', 'SIGINT']`. */
  signals?: readonly NodeJS.Signals[];
  /**
   * Call `process.exit` when done: 0 after a clean shutdown, 1 after a failed one or on a second signal.
   * Defaults to `false`: the process exits by itself once nothing keeps it alive.
   */
  exit?: boolean;
  /** Called once the shutdown settled, with its error if it failed. */
  onShutdown?: (error?: unknown) => void;
  /** The process to listen on. Defaults to `process` (injectable for tests). */
  process?: Pick<NodeJS.Process, 'on' | 'removeListener' | 'exit'>;
}

/**
 * Wires SIGTERM/SIGINT to one graceful `app.stop()`. A second signal forces: every close still running is
 * aborted (and, with `exit: true`, the process exits with status 1). Returns a disposer that removes the handlers.
 */
export function handleSignals(app: Stoppable, options: SignalOptions = {}): Disposer {
  const proc = options.process ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const force = new AbortController();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      force.abort(new Error(`second ${signal}: forcing shutdown`));
      if (options.exit) proc.exit(1);
      return;
    }
    stopping = true;
    app.stop({ reason: signal, force: force.signal }).then(
      () => {
        dispose();
        options.onShutdown?.();
        if (options.exit) proc.exit(0);
      },
      (error: unknown) => {
        dispose();
        options.onShutdown?.(error);
        if (options.exit) {
          console.error(`Shutdown failed: ${describeError(error).message}`);
          proc.exit(1);
        }
      },
    );
  };
  const dispose = () => {
    for (const s of signals) proc.removeListener(s, onSignal);
  };
  // Installed once and kept until disposed: Node restores a signal's default action (death) whenever its last
  // listener is removed, so a signal arriving while the handler were re-added would kill the process mid-close.
  for (const s of signals) proc.on(s, onSignal);
  return dispose;
}
