/** What keeps the process alive, by kind (`TCPSocketWrap`, `Timeout`…), from `process.getActiveResourcesInfo()`. */
export declare function activeHandles(): Record<string, number>;

/** Handles that keep the process alive and were not there when the watch began. */
export interface HandleWatch {
  /** Kinds above the baseline now, and how many more. */
  above(): Record<string, number>;
  /** Waits (at most `withinMs`, in milliseconds; defaults to 1000) until nothing is above the baseline; resolves with what still is (`{}` when clean). */
  left(withinMs?: number): Promise<Record<string, number>>;
  /** Where the live timers counted in `above()` were created (a few frames each). */
  timerOrigins(): string[];
  /** Stops watching. */
  dispose(): void;
}

/** Starts a {@link HandleWatch}: sockets and servers by count, timers one by one from now on (vitest's own aside). */
export declare function watchHandles(): HandleWatch;
