/**
 * The rows of a README's options table (the first table whose header starts with `| Option`), header and rule
 * left out, each cell trimmed and `\|` read as `|`: what a connector's option schema's `rows()` gives.
 */
export function optionsTableOf(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| Option'));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .slice(1, line.trimEnd().length - 1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replaceAll('\\|', '|'));
    rows.push(cells);
  }
  return rows;
}
