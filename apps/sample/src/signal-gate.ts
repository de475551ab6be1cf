/** Signals received before the application's own handlers were installed, held for them. */
export interface SignalGate {
  /**
   * Calls `install` (which registers the application's handlers), then stops holding signals and delivers
   * to those handlers, in order, every signal received so far. Call it once, synchronously after nothing
   * else: no signal can be lost or handled twice, since signals only reach listeners between two tasks.
   */
  handOver(install: () => void): void;
  /** True once a signal was received and is held for the hand-over: the application should start nothing. */
  readonly holding: boolean;
}

/**
 * Holds SIGTERM and SIGINT from the first line of the entry, while the application's bundle is still
 * loading: without a listener, a signal in that window kills the process (status 143 or 130) instead of
 * shutting it down.
 */
export function holdSignals(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): SignalGate {
  const received: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => void received.push(signal);
  for (const signal of signals) process.on(signal, hold);
  let handedOver = false;
  return {
    get holding() {
      return !handedOver && received.length > 0;
    },
    handOver(install) {
      if (handedOver) throw new Error('handOver() was already called');
      handedOver = true;
      // Installed before ours are removed: a listener count of zero would restore the default action
      // (terminate) for an instant.
      install();
      for (const signal of signals) process.removeListener(signal, hold);
      for (const signal of received) process.emit(signal, signal);
    },
  };
}
