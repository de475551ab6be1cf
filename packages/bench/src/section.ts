/** A table of the document: a header row and body rows, already formatted. */
export interface Table {
  /** Shown above the table, in bold. */
  caption?: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

/** One measure's part of the document. */
export interface Section {
  /** `P1 runner overhead`… */
  title: string;
  /** The goal the measure chases, as the issue states it. */
  goal: string;
  /** How it was measured, in a sentence or two. */
  method: string;
  /** One line for the summary at the top: the verdict against the goal. */
  summary: string;
  tables: Table[];
  /** Verdicts and explanations, one paragraph each; where we lose to a peer, why. */
  notes: string[];
  /** Set when the measure could not run; the tables are then empty. */
  error?: string;
  /** Set when a prerequisite was missing (not a failure of the measure itself). */
  skipped?: string;
  /** Wall time of the measure, in milliseconds. */
  tookMs?: number;
}

/** Renders a table as GitHub Markdown, escaping pipes in cells. */
export function markdownTable(table: Table): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const lines = [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)];
  return `${table.caption ? `**${table.caption}**\n\n` : ''}${lines.join('\n')}\n`;
}
