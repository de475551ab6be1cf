/** Removes the listener it was returned for. Calling it twice is harmless. */
export type Disposer = () => void;

/** A minimal typed event emitter: `on(event, listener)` returns a {@link Disposer}. */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Subscribes `listener` to `event`; returns a function that unsubscribes it. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Disposer {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  /** Calls every listener of `event`. A listener that throws is reported to `onListenerError`, never to the caller. */
  emit<K extends keyof Events>(
    event: K,
    payload: Events[K],
    onListenerError?: (error: unknown) => void,
  ): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        onListenerError?.(error);
      }
    }
  }
}
