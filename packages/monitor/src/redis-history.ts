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

/**
 * The list commands the store uses; an ioredis client fits as is (wrap other clients in these). Without `lset`
 * the store cannot amend an entry (`HistoryStore.amend` is absent).
 */
export interface RedisListClient {
  lpush(key: string, value: string): Promise<unknown>;
  ltrim(key: string, start: number, stop: number): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  lset?(key: string, index: number, value: string): Promise<unknown>;
}

/** Options of {@link redisHistory}. */
export interface RedisHistoryOptions {
  client: RedisListClient;
  /** The list's key. Defaults to `startup:history`. */
  key?: string;
  /** Entries kept; the list is trimmed on each append. Defaults to 500. */
  maxEntries?: number;
  /** Called for each corrupt element skipped. Defaults to a process warning. */
  onWarning?: (warning: HistoryWarning) => void;
}

/**
 * A history store in a Redis list (newest at the head, trimmed to `maxEntries`), so replicas share one
 * history on a Redis they already run. It never imports a client: pass yours. Errors reject with
 * `STARTUP_ERR_HISTORY_IO`.
 * @example const history = redisHistory({ client: redis, key: 'orders:startup-history' });
 */
export function redisHistory(options: RedisHistoryOptions): HistoryStore {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const { client } = options;
  if (
    !client ||
    !['lpush', 'ltrim', 'lrange'].every(
      (m) => typeof (client as unknown as Record<string, unknown>)[m] === 'function',
    )
  ) {
    throw invalidOption('client', 'a Redis client with lpush, ltrim and lrange', client);
  }
  const key = options.key ?? 'startup:history';
  if (typeof key !== 'string' || key.length === 0) throw invalidOption('key', 'a non-empty string', key);
  const maxEntries = checkInteger('maxEntries', options.maxEntries, 500);
  const onWarning = options.onWarning ?? emitHistoryWarning;
  const run = async <T>(op: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      throw historyIoError(op, `list "${key}"`, error);
    }
  };

  const store: HistoryStore = {
    append(entry) {
      const invalid = invalidHistoryEntry(entry);
      if (invalid) return Promise.reject(invalid);
      return run('write', async () => {
        await client.lpush(key, JSON.stringify(entry));
        await client.ltrim(key, 0, maxEntries - 1);
      });
    },
    async list(limit) {
      const n = historyLimit(limit);
      if (n === 0) return [];
      return run('read', async () => {
        const raw = await client.lrange(key, 0, Number.isFinite(n) ? n - 1 : -1);
        const entries: HistoryEntry[] = [];
        raw.forEach((text, index) => {
          const checked = checkEntry(text);
          if (checked.entry) entries.push(checked.entry);
          else {
            const where = `list "${key}" (index ${index})`;
            onWarning(skippedWarning(checked, `${key}[${index}]`, 'a corrupt element', where));
          }
        });
        return entries.reverse();
      });
    },
  };
  const { lset } = client;
  if (typeof lset === 'function') {
    store.amend = (entry) => {
      const invalid = invalidHistoryEntry(entry);
      if (invalid) return Promise.reject(invalid);
      return run('write', async () => {
        const raw = await client.lrange(key, 0, -1);
        const index = raw.findIndex((text) => {
          const kept = checkEntry(text).entry;
          return kept !== undefined && sameStart(kept, entry);
        });
        // Another replica's push between the read and the write moves the element one place on: look again.
        if (index === -1) return;
        const now = await client.lrange(key, index, index + 1);
        const at = now.indexOf(raw[index]!);
        if (at !== -1) await lset.call(client, key, index + at, JSON.stringify(entry));
      });
    };
  }
  return store;
}
