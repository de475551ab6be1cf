import { type HistoryStore, jsonlHistory } from '@startup/monitor';
import type { Redact } from './redaction.js';

/**
 * The JSON-lines history of `HISTORY_FILE` (or `undefined` when it is `off`), wrapped so every entry
 * passes through `redact` before it is written: core already redacts URL passwords in reports, and this
 * removes any other secret of the configuration as well.
 */
export function openHistory(file: string | undefined, redact: Redact): HistoryStore | undefined {
  if (file === undefined) return undefined;
  const store = jsonlHistory({ file });
  return {
    append: (entry) => store.append(JSON.parse(redact(JSON.stringify(entry)))),
    list: (limit) => store.list(limit),
  };
}
