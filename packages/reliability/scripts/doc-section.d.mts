/** `docs/reliability.md` of the repository. */
export declare const reliabilityDoc: string;

/** Replaces the generated section `name` (between its start and end markers) of `file` with `content`. */
export declare function replaceSection(file: string, name: string, content: string): Promise<void>;

/**
 * Writes the section `name` of `file` (defaults to {@link reliabilityDoc}) from a test, only when
 * `env.STARTUP_WRITE_DOCS` (`env` defaults to `process.env`) is `'1'`; resolves whether it wrote.
 */
export declare function recordSection(
  name: string,
  content: string,
  options?: { file?: string; env?: NodeJS.ProcessEnv },
): Promise<boolean>;
