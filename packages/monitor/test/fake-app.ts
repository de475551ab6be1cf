import type { Clock, Disposer, StartupEvents, StartupReport } from '@startup/core';

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

/** A manual clock: time moves only with `advance`, which fires the timers that fall due, in order. */
export class ManualClock implements Clock {
  #now = 0;
  #wall = Date.UTC(2025, 0, 1);
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #next = 1;

  now(): number {
    return this.#now;
  }
  wallNow(): number {
    return this.#wall + this.#now;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.push({ at: this.#now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  /** Timers still scheduled. */
  get pending(): number {
    return this.#timers.length;
  }
  /** Moves time forward by `ms` without firing anything: the event loop was blocked. */
  block(ms: number): void {
    this.#now += ms;
  }
  /** Moves time to `now + ms`, firing each timer when it falls due. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.#timers[0];
      if (!due || due.at > end) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = end;
  }
}
