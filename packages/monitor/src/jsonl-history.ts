import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkInteger, invalidOption } from '@startup/core/plugin-kit';
import {
  checkEntry,
  emitHistoryWarning,
  type HistoryEntry,
  type HistoryStore,
  type HistoryWarning,
  historyIoError,
  historyLimit,
  invalidHistoryEntry,
  sameStart,
  skippedWarning,
} from './history-store.js';

/** Options of {@link jsonlHistory}. */
export interface JsonlHistoryOptions {
  /** Path of the JSON-lines file; created (with its directory) on the first append. */
  file: string;
  /** Entries kept; past it the file is rewritten keeping the newest. Defaults to 500. */
  maxEntries?: number;
  /** Called for each corrupt or partial line skipped. Defaults to a process warning. */
  onWarning?: (warning: HistoryWarning) => void;
}

/** A {@link HistoryStore} in a JSON-lines file. */
export interface JsonlHistory extends HistoryStore {
  readonly file: string;
}

/**
 * A history store in a JSON-lines file, one start a line, at most `maxEntries` lines: past the bound
 * the file is rewritten with the newest entries, atomically (temporary file, then rename). A corrupt or
 * partial line, or an entry whose shape is wrong, is skipped with a warning; the other lines are kept. Operations of one store run in order.
 * A missing file reads as an empty history; other I/O errors reject with `STARTUP_ERR_HISTORY_IO`.
 * @example const history = jsonlHistory({ file: '.startup/history.jsonl' });
 */
export function jsonlHistory(options: JsonlHistoryOptions): JsonlHistory {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const { file } = options;
  if (typeof file !== 'string' || file.length === 0) throw invalidOption('file', 'a file path', file);
  const maxEntries = checkInteger('maxEntries', options.maxEntries, 500);
  const onWarning = options.onWarning ?? emitHistoryWarning;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  const read = async (): Promise<{ entries: HistoryEntry[]; lines: number }> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], lines: 0 };
      throw historyIoError('read', `file "${file}"`, error);
    }
    const entries: HistoryEntry[] = [];
    let lines = 0;
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      lines++;
      const checked = checkEntry(line);
      const source = `${file}:${index + 1}`;
      if (checked.entry) entries.push(checked.entry);
      else onWarning(skippedWarning(checked, source, 'a corrupt or partial line', source));
    });
    return { entries, lines };
  };

  const rewrite = async (entries: HistoryEntry[]) => replace(entries.map((e) => JSON.stringify(e)));
  // Every line written at once: a temporary file, then a rename, so a reader never sees half of it.
  const replace = async (lines: string[]) => {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, lines.map((line) => `${line}\n`).join(''));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw historyIoError('write', `file "${file}"`, error);
    }
  };

  return {
    file,
    append: (entry) => {
      const invalid = invalidHistoryEntry(entry);
      if (invalid) return Promise.reject(invalid);
      return serial(async () => {
        try {
          await mkdir(dirname(file), { recursive: true });
          const glue = (await endsMidLine(file)) ? '\n' : '';
          await appendFile(file, `${glue}${JSON.stringify(entry)}\n`);
        } catch (error) {
          throw historyIoError('write', `file "${file}"`, error);
        }
        const { entries, lines } = await read();
        if (lines > maxEntries) await rewrite(entries.slice(-maxEntries));
      });
    },
    list: async (limit) => {
      const n = historyLimit(limit);
      return serial(async () => {
        const { entries } = await read();
        return n === 0 ? [] : entries.slice(-n);
      });
    },
    amend: (entry) => {
      const invalid = invalidHistoryEntry(entry);
      if (invalid) return Promise.reject(invalid);
      return serial(async () => {
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw historyIoError('read', `file "${file}"`, error);
        }
        // The other lines as they are, corrupt ones included: amending one start repairs nothing else.
        const lines = text.split('\n').filter((line) => line.trim() !== '');
        const at = lines.findLastIndex((line) => {
          const kept = checkEntry(line).entry;
          return kept !== undefined && sameStart(kept, entry);
        });
        if (at === -1) return;
        lines[at] = JSON.stringify(entry);
        await replace(lines);
      });
    },
  };
}

/** True when the file exists, is not empty and its last byte is not a newline (a partial last line). */
async function endsMidLine(file: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, size - 1);
    return buffer[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
