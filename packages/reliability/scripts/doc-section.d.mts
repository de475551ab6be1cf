/** `docs/reliability.md` of the repository. */
export declare const reliabilityDoc: string;

/** Replaces the generated section `name` (between its start and end markers) of `file` with `content`. */
export declare function replaceSection(file: string, name: string, content: string): Promise<void>;
