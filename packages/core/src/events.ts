/** Removes the listener it was returned for. Calling it twice is harmless. */
export type Disposer = () => void;

type Listener = (payload: never) => void;

/**
 * A minimal typed event emitter: `on(event, listener)` returns a {@link Disposer}. A listener that throws is
 * reported to `onListenerError` (ignored by default), never to the code that emitted.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes `listener` to `event`; returns a function that unsubscribes it. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Disposer {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  }

  /** Whether `event` has a listener: lets an emitter skip building a costly payload nobody reads. */
  has(event: keyof Events): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls every listener of `event` with `payload`. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
