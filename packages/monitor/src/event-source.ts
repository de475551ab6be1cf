import type { Disposer, StartupEvents } from '@startup/core';

/** Anything that emits core's start-up events, e.g. the result of `createStartup`. */
export interface StartupEventSource {
  on<K extends keyof StartupEvents>(event: K, listener: (payload: StartupEvents[K]) => void): Disposer;
}
