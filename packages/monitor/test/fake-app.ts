import type { Disposer, StartupEvents, StartupReport } from '@startup/core';

/** A stand-in for `createStartup()`'s result: emits whatever the test says and returns a set report. */
export class FakeApp {
  readonly #listeners = new Map<string, Set<(payload: never) => void>>();
  current: StartupReport | undefined;

  on<K extends keyof StartupEvents>(event: K, listener: (payload: StartupEvents[K]) => void): Disposer {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof StartupEvents>(event: K, payload: StartupEvents[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      (listener as (p: StartupEvents[K]) => void)(payload);
    }
  }

  /** How many listeners are subscribed, over all events. */
  listenerCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  report(): StartupReport {
    if (!this.current) throw new Error('no report set');
    return this.current;
  }
}
