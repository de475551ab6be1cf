/**
 * Where the time of a start went, in milliseconds since the process began (`performance.now()`): logged on
 * "started: ready for traffic" so a measure can split spawn → ready into boot, code load, set-up, listen and start.
 */
export interface StartMarks {
  /** The entry's first line ran: Node has booted. */
  bootedMs: number;
  /** The application's bundle is loaded (what the start needs, without the web framework). */
  loadedMs: number;
  /** The start began. */
  startingMs?: number;
  /** The HTTP server listens: the probes answer (the web framework loads once the start completed). */
  listeningMs?: number;
  /** The start completed: ready for traffic. */
  readyMs?: number;
}
